/// The styles the generic widgets use, in one place (htop-like defaults).
public struct Theme: Hashable, Sendable {
    public var text = Style.plain
    public var frame = Style.plain
    public var focusedFrame = Style(fg: .cyan, .bold)
    public var title = Style.bold
    public var focusedTitle = Style(fg: .black, bg: .cyan)
    public var tableHeader = Style(fg: .black, bg: .green)
    public var selection = Style(fg: .black, bg: .cyan)
    public var inactiveSelection = Style(fg: .black, bg: .white)
    public var statusKey = Style.plain
    public var statusLabel = Style(fg: .black, bg: .cyan)
    public var meterLabel = Style(fg: .cyan, .bold)
    public var meterBracket = Style.bold
    public var meterFill = Style(fg: .green)
    public var meterText = Style(.dim)
    public var sparkline = Style(fg: .cyan)
    public var sharedPage = Style(fg: .magenta, .bold)
    public var emptyPage = Style(.dim)
    public var prompt = Style.bold
    public var cursor = Style.reverse
    public var helpKey = Style(fg: .cyan, .bold)
    public var message = Style(fg: .yellow, .bold)

    public init() {}

    public static let `default` = Theme()
}
