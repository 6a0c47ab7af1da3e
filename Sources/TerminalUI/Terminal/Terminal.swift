/// Where the UI draws and where keys come from.
///
/// Two backends: `CursesTerminal` (ncurses) and `GridTerminal` (in memory, for
/// tests). Drawing goes to a back buffer; `present()` writes only the cells that
/// differ from what the device already shows, so presenting an unchanged frame
/// writes nothing (`lastPresentWrites == 0`).
///
/// Coordinates are zero-based (row, column) from the top-left corner. Every
/// drawing call clips to the screen: nothing is ever written past an edge.
/// Each `Character` takes one cell; East-Asian wide characters are out of scope.
public protocol Terminal: AnyObject {
    /// The current screen size. Changes only when a `.resize` key is read.
    var size: Size { get }
    /// `.monochrome` when colours are mapped to attributes.
    var colorMode: ColorMode { get }

    /// Draws `text` starting at (row, col), clipped to the screen. Control
    /// characters are drawn as spaces.
    func put(row: Int, col: Int, _ text: String, style: Style)
    /// Fills `rect` (clipped) with `char`.
    func fill(_ rect: Rect, char: Character, style: Style)
    /// Blanks the back buffer (not the device: unchanged cells stay untouched).
    func clear()
    /// Writes the changed cells to the device.
    func present()
    /// Forgets what the device shows, so the next `present()` rewrites every
    /// cell (after a resize, or Ctrl-L).
    func invalidate()
    /// Number of cells the last `present()` wrote.
    var lastPresentWrites: Int { get }

    /// The next key, or nil when `timeoutMS` passes without one (negative
    /// timeout: block).
    func readKey(timeoutMS: Int) -> Key?

    /// Gives the device back (leaves curses). Idempotent.
    func restore()
}

extension Terminal {
    public var bounds: Rect { Rect(size: size) }
}

/// Why a terminal could not be opened.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// TERM is unset/empty (nil) or names a terminal curses does not know.
    case unsupportedTerminal(String?)
    /// stdin or stdout is not a terminal.
    case notATerminal

    public var description: String {
        switch self {
        case .unsupportedTerminal(nil):
            return "TERM is not set; cannot start the terminal UI"
        case .unsupportedTerminal(let name?):
            return "unknown terminal type '\(name)' (TERM); cannot start the terminal UI"
        case .notATerminal:
            return "standard input/output is not a terminal; cannot start the terminal UI"
        }
    }
}
