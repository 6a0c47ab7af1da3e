/// An htop-style bar meter: `Mem[|||||||||        1.2G/4.0G]`.
///
/// The bar is filled in proportion to each segment's fraction (segments are
/// stacked, e.g. private and shared pages in different colours); the text is
/// right-aligned inside the brackets, over the fill.
public struct Meter {
    public struct Segment: Hashable, Sendable {
        public var fraction: Double
        public var style: Style?

        public init(_ fraction: Double, style: Style? = nil) {
            self.fraction = fraction
            self.style = style
        }
    }

    public var label: String
    public var segments: [Segment]
    /// Text inside the bar; nil shows the total as a percentage.
    public var text: String?

    public init(label: String, fraction: Double, text: String? = nil, style: Style? = nil) {
        self.init(label: label, segments: [Segment(fraction, style: style)], text: text)
    }

    public init(label: String, segments: [Segment], text: String? = nil) {
        self.label = label
        self.segments = segments
        self.text = text
    }

    /// Fill cells per segment for a bar `width` cells wide. Rounds the running
    /// total, so the cells never exceed the width and a full meter is full.
    public static func cells(_ segments: [Segment], width: Int) -> [Int] {
        var total = 0.0
        var drawn = 0
        return segments.map { s in
            total += s.fraction.isFinite ? max(0, s.fraction) : 0
            let end = min(width, Int((min(1, total) * Double(width)).rounded()))
            defer { drawn = max(drawn, end) }
            return max(0, end - drawn)
        }
    }

    public func draw(in canvas: Canvas) {
        let theme = canvas.theme, g = canvas.glyphs
        guard canvas.height > 0, canvas.width > 0 else { return }
        canvas.put(row: 0, col: 0, label, style: theme.meterLabel)
        let open = label.count
        let barWidth = canvas.width - open - 2
        guard barWidth >= 0 else { return }
        canvas.put(row: 0, col: open, "[", style: theme.meterBracket)
        canvas.put(row: 0, col: open + 1 + barWidth, "]", style: theme.meterBracket)
        canvas.fill(Rect(row: 0, col: open + 1, height: 1, width: barWidth))
        var col = open + 1
        for (segment, n) in zip(segments, Meter.cells(segments, width: barWidth)) {
            canvas.hline(row: 0, col: col, length: n, char: g.meterFill, style: segment.style ?? theme.meterFill)
            col += n
        }
        let total = segments.reduce(0) { $0 + ($1.fraction.isFinite ? $1.fraction : 0) }
        let label = text ?? TextFit.percent(total)
        if label.count <= barWidth {
            canvas.put(row: 0, col: open + 1 + barWidth - label.count, label, style: theme.meterText)
        }
    }
}
