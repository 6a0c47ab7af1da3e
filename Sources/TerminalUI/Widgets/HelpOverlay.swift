/// A centred box listing keys and what they do, drawn over whatever is
/// underneath.
///
///     ┌ Help ─────────────────────┐
///     │ ↑/k ↓/j   move selection  │
///     │ F10 q     quit            │
///     │                           │
///     │ Press any key to return   │
///     └───────────────────────────┘
public struct HelpOverlay {
    public var title: String
    public var entries: [(keys: String, description: String)]
    public var footer: String

    public init(title: String = "Help", entries: [(keys: String, description: String)],
                footer: String = "Press any key to return") {
        self.title = title
        self.entries = entries
        self.footer = footer
    }

    /// The box's size before clipping to the canvas.
    public var preferredSize: Size {
        let keyWidth = entries.map { $0.keys.count }.max() ?? 0
        let descWidth = entries.map { $0.description.count }.max() ?? 0
        let body = max(keyWidth + 2 + descWidth, footer.count, title.count + 2)
        let lines = entries.count + (footer.isEmpty ? 0 : 2)
        return Size(rows: lines + 2, cols: body + 4)
    }

    public func draw(in canvas: Canvas) {
        let theme = canvas.theme
        let rect = canvas.bounds.centered(preferredSize)
        let boxCanvas = canvas.sub(rect)
        boxCanvas.clear()
        let inner = Box(title: title, focused: true).draw(in: boxCanvas)
        let keyWidth = entries.map { $0.keys.count }.max() ?? 0
        for (i, entry) in entries.enumerated() {
            inner.put(row: i, col: 1, entry.keys, width: keyWidth, style: theme.helpKey)
            inner.put(row: i, col: 1 + keyWidth + 2, entry.description, style: theme.text)
        }
        if !footer.isEmpty {
            inner.put(row: entries.count + 1, col: 1, footer, style: theme.meterText)
        }
    }
}
