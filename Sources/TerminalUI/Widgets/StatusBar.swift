/// The htop-style bottom line: `F1Help  F3Search  F10Quit`, with an optional
/// message at the right edge. A long message hides hints from the right, then is
/// cut with an ellipsis.
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
        // A message that does not fit after the hints hides hints from the right
        // (a result the user asked for matters more than a reminder).
        let labels = items.map { TextFit.fit($0.label, width: max(6, $0.label.count + 1)) }
        var shown = items.count
        func width(_ n: Int) -> Int { (0..<n).reduce(0) { $0 + items[$1].key.count + labels[$1].count } }
        while shown > 0, !message.isEmpty, width(shown) + 1 + message.count + 1 > canvas.width { shown -= 1 }
        var col = 0
        for i in 0..<shown {
            canvas.put(row: 0, col: col, items[i].key, style: theme.statusKey)
            col += items[i].key.count
            canvas.put(row: 0, col: col, labels[i], style: theme.statusLabel)
            col += labels[i].count
        }
        if !message.isEmpty {
            let start = max(shown > 0 ? col + 1 : 0, canvas.width - message.count - 1)
            let text = TextFit.fit(message, width: canvas.width - start, ellipsis: canvas.glyphs.ellipsis)
            canvas.put(row: 0, col: start, text, style: theme.statusLabel)
        }
    }
}
