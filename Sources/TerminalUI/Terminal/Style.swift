/// The small colour palette the UI draws with: the eight ANSI colours plus the
/// terminal's own default (`-1` after `use_default_colors`).
public enum Color: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case `default` = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white

    public var description: String {
        switch self {
        case .default: return "default"
        case .black: return "black"
        case .red: return "red"
        case .green: return "green"
        case .yellow: return "yellow"
        case .blue: return "blue"
        case .magenta: return "magenta"
        case .cyan: return "cyan"
        case .white: return "white"
        }
    }
}

/// Text attributes independent of colour.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let reverse = Attributes(rawValue: 1 << 1)
    public static let dim = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
}

/// How a cell looks: foreground and background colour plus attributes.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()
    public static let bold = Style(.bold)
    public static let reverse = Style(.reverse)
    public static let dim = Style(.dim)
    public static let underline = Style(.underline)

    public func with(_ extra: Attributes) -> Style {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }

    public func with(fg: Color) -> Style { var s = self; s.fg = fg; return s }
    public func with(bg: Color) -> Style { var s = self; s.bg = bg; return s }

    /// The style with colours replaced by attributes, for terminals without
    /// colour (or `--monochrome`):
    ///
    /// - a non-default background becomes `reverse` (selection bars, headers,
    ///   status-bar labels stay visible as inverted runs);
    /// - otherwise the foreground maps to an attribute: red, yellow, magenta and
    ///   white become `bold`; blue and black become `dim`; green and cyan stay
    ///   plain (they are the "normal" colours of the theme);
    /// - explicit attributes are always kept.
    public var monochrome: Style {
        var attrs = attributes
        if bg != .default {
            attrs.insert(.reverse)
        } else {
            switch fg {
            case .red, .yellow, .magenta, .white: attrs.insert(.bold)
            case .blue, .black: attrs.insert(.dim)
            case .green, .cyan, .default: break
            }
        }
        return Style(fg: .default, bg: .default, attrs)
    }

    /// A compact description used in styled test dumps, e.g. `black on cyan bold`.
    public var description: String {
        var parts: [String] = []
        if fg != .default { parts.append(fg.description) }
        if bg != .default { parts.append("on \(bg)") }
        if attributes.contains(.bold) { parts.append("bold") }
        if attributes.contains(.reverse) { parts.append("reverse") }
        if attributes.contains(.dim) { parts.append("dim") }
        if attributes.contains(.underline) { parts.append("underline") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}

/// Whether colours reach the screen or are mapped to attributes.
public enum ColorMode: Hashable, Sendable {
    case color
    case monochrome

    public func resolve(_ style: Style) -> Style {
        self == .color ? style : style.monochrome
    }
}
