/// A decoded key press (or terminal event delivered through the key queue).
///
/// Letters such as `h`, `j`, `k`, `l` arrive as `.char`: screens decide whether
/// they mean movement.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, as the lowercase letter (`.ctrl("l")` for Ctrl-L).
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab
    case enter, backspace, delete, escape
    /// F1 … F63.
    case function(Int)
    /// The terminal changed size (SIGWINCH → KEY_RESIZE).
    case resize
    case mouse(MouseEvent)

    public static let f1 = Key.function(1)
    public static let f10 = Key.function(10)
}

/// A mouse event in screen coordinates.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case click, wheelUp, wheelDown }
    public var kind: Kind
    public var row: Int
    public var col: Int

    public init(_ kind: Kind = .click, row: Int, col: Int) {
        self.kind = kind
        self.row = row
        self.col = col
    }
}
