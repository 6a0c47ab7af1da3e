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
    // Dashboard.
    public var directory = Style(fg: .blue, .bold)
    public var headerLabel = Style(fg: .cyan)
    public var headerValue = Style.bold
    public var activePolicy = Style(fg: .black, bg: .green)
    public var inactivePolicy = Style(.dim)
    public var replayRunning = Style(fg: .green, .bold)
    public var replayPaused = Style(fg: .yellow, .bold)
    public var savedFill = Style(fg: .magenta)
    public var hitFill = Style(fg: .cyan)
    /// One style per container (cycled): residency strips, stacked bars.
    public var containers: [Style] = [Style(fg: .green, .bold), Style(fg: .yellow, .bold),
                                      Style(fg: .blue, .bold), Style(fg: .red, .bold), Style(fg: .cyan, .bold)]

    public init() {}

    /// The style of container `index` (cycled).
    public func container(_ index: Int) -> Style {
        containers.isEmpty ? .plain : containers[((index % containers.count) + containers.count) % containers.count]
    }

    public static let `default` = Theme()
}
