/// A framed panel with a title; the focused panel's frame and title are
/// highlighted.
///
///     ┌ Images ──────┐
///     │              │
///     └──────────────┘
public struct Box {
    public var title: String
    public var focused: Bool

    public init(title: String = "", focused: Bool = false) {
        self.title = title
        self.focused = focused
    }

    /// Draws the frame and returns the canvas inside it.
    @discardableResult
    public func draw(in canvas: Canvas) -> Canvas {
        let g = canvas.glyphs, theme = canvas.theme
        let w = canvas.width, h = canvas.height
        guard w >= 2, h >= 2 else { return canvas.sub(Rect(row: 0, col: 0, height: 0, width: 0)) }
        let frame = focused ? theme.focusedFrame : theme.frame
        canvas.put(row: 0, col: 0, String(g.topLeft), style: frame)
        canvas.hline(row: 0, col: 1, length: w - 2, char: g.horizontal, style: frame)
        canvas.put(row: 0, col: w - 1, String(g.topRight), style: frame)
        canvas.vline(row: 1, col: 0, length: h - 2, char: g.vertical, style: frame)
        canvas.vline(row: 1, col: w - 1, length: h - 2, char: g.vertical, style: frame)
        canvas.put(row: h - 1, col: 0, String(g.bottomLeft), style: frame)
        canvas.hline(row: h - 1, col: 1, length: w - 2, char: g.horizontal, style: frame)
        canvas.put(row: h - 1, col: w - 1, String(g.bottomRight), style: frame)
        if !title.isEmpty, w >= 5 {
            let label = " " + TextFit.fit(title, width: min(title.count, w - 4), ellipsis: g.ellipsis) + " "
            canvas.put(row: 0, col: 1, label, style: focused ? theme.focusedTitle : theme.title)
        }
        return canvas.sub(canvas.bounds.inset(by: 1))
    }
}
