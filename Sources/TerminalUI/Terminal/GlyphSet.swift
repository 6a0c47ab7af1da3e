import CNcurses

/// The characters widgets draw with, Unicode or plain ASCII.
///
/// Unicode needs a UTF-8 locale: under `LC_ALL=C` curses prints block elements
/// as garbage, so `detect` checks `nl_langinfo(nl_item(CODESET))`, and `--ascii` forces
/// the fallback (as htop `-U` does).
public struct GlyphSet: Hashable, Sendable {
    /// Sparkline levels, lowest first.
    public var levels: [Character]
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Marks a page resident in more than one image's cache.
    public var shared: Character
    /// A page that is not resident (residency strip).
    public var emptyPage: Character
    /// Meter fill (htop draws `|` in both modes).
    public var meterFill: Character
    public var sortAscending: Character
    public var sortDescending: Character
    /// Appended to truncated text.
    public var ellipsis: Character
    public var isUnicode: Bool

    public static let unicode = GlyphSet(
        levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontal: "─", vertical: "│",
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        shared: "●", emptyPage: "·", meterFill: "|",
        sortAscending: "▲", sortDescending: "▼", ellipsis: "…",
        isUnicode: true)

    public static let ascii = GlyphSet(
        levels: ["_", ".", "-", "=", "#"],
        horizontal: "-", vertical: "|",
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        shared: "*", emptyPage: ".", meterFill: "|",
        sortAscending: "^", sortDescending: "v", ellipsis: "~",
        isUnicode: false)

    /// Unicode for a UTF-8 codeset name ("UTF-8", "utf8"), ASCII otherwise.
    public static func forCodeset(_ codeset: String) -> GlyphSet {
        let normalized = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return normalized == "utf8" ? .unicode : .ascii
    }

    /// Picks the set for this process's locale. Activates the environment's
    /// locale first (see `TerminalLocale.activate()`).
    public static func detect(forceASCII: Bool = false) -> GlyphSet {
        if forceASCII { return .ascii }
        return forCodeset(TerminalLocale.activate())
    }
}

/// The process locale, as curses needs it.
public enum TerminalLocale {
    /// `setlocale(LC_ALL, "")` (curses needs LC_CTYPE from the environment for
    /// UTF-8 output), then LC_NUMERIC back to "C" so number formatting does not
    /// change with the user's locale. Returns the codeset, e.g. "UTF-8".
    @discardableResult
    public static func activate() -> String {
        setlocale(LC_ALL, "")
        setlocale(LC_NUMERIC, "C")
        return codeset()
    }

    /// `nl_langinfo(CODESET)` of the current locale.
    public static func codeset() -> String {
        guard let p = nl_langinfo(nl_item(CODESET)) else { return "" }
        return String(cString: p)
    }
}
