/// The htop-style bottom line: `F1Help  F3Search  F10Quit`, with an optional
/// message at the right edge.
public struct StatusBar {
    public struct Item: Hashable, Sendable {
        public var key: String
        public var label: String

        public init(_ key: String, _ label: String) {
            self.key = key
            self.label = label
        }
    }

    public var items: [Item]
    public var message: String

    public init(_ items: [Item], message: String = "") {
        self.items = items
        self.message = message
    }

    public func draw(in canvas: Canvas) {
        let theme = canvas.theme
        guard canvas.height > 0, canvas.width > 0 else { return }
        canvas.fill(Rect(row: 0, col: 0, height: 1, width: canvas.width), style: theme.statusLabel)
        var col = 0
        for item in items {
            canvas.put(row: 0, col: col, item.key, style: theme.statusKey)
            col += item.key.count
            let label = TextFit.fit(item.label, width: max(6, item.label.count + 1))
            canvas.put(row: 0, col: col, label, style: theme.statusLabel)
            col += label.count
        }
        if !message.isEmpty {
            let start = max(col + 1, canvas.width - message.count - 1)
            canvas.put(row: 0, col: start, message, style: theme.statusLabel)
        }
    }
}
