/// What a screen's key handler asks the app loop to do.
public enum Action: Hashable, Sendable {
    /// The key changed something: redraw.
    case handled
    /// Nothing changed: no redraw.
    case ignored
    /// Leave the loop (the terminal is then restored).
    case quit
}

/// A full-screen view driven by `App`: it handles keys, advances with time and
/// draws itself. Screens keep their own state (selection, focus, overlays);
/// the app loop only decides when to draw.
///
/// `handle(key:)` and `tick(now:)` throw only when the screen cannot go on
/// (its data can no longer be read): the loop ends, the terminal is restored,
/// and `App.run()` rethrows for the caller to report.
public protocol AppScreen {
    /// Handles one key (mouse events included; `.resize` is reported through
    /// `resize(to:)` instead).
    mutating func handle(key: Key) throws -> Action
    /// Draws the whole screen. Called only when something changed.
    func draw(into canvas: Canvas)
    /// Advances time-driven state (replay, sampling). Returns true if the
    /// screen needs a redraw. `now` is in seconds from the app's clock.
    mutating func tick(now: Double) throws -> Bool
    /// Called before the first draw and after every resize, so the screen can
    /// recompute its layout (page sizes for tables, etc.).
    mutating func resize(to size: Size)
}

extension AppScreen {
    public mutating func tick(now: Double) -> Bool { false }
    public mutating func resize(to size: Size) {}
}
