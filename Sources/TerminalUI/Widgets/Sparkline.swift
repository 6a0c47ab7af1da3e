/// A one-row history graph: each value becomes a level glyph (`▁`…`█`, or
/// `_.-=#` in ASCII). The newest values are at the right edge; when there are
/// more values than cells, the oldest are dropped.
public struct Sparkline {
    public var values: [Double]
    /// The value drawn as a full cell; nil uses the largest value shown.
    public var maximum: Double?
    public var style: Style?

    public init(_ values: [Double], maximum: Double? = nil, style: Style? = nil) {
        self.values = values
        self.maximum = maximum
        self.style = style
    }

    /// The glyphs for `values` scaled to `maximum`: 0 (and below) is the lowest
    /// level, `maximum` (and above) the highest, linear in between.
    public static func render(_ values: [Double], maximum: Double?, levels: [Character]) -> String {
        guard !levels.isEmpty else { return "" }
        let top = maximum ?? values.filter { $0.isFinite }.max() ?? 0
        let last = levels.count - 1
        return String(values.map { v -> Character in
            guard top > 0, v.isFinite, v > 0 else { return levels[0] }
            let level = Int((min(v, top) / top * Double(last)).rounded())
            return levels[max(0, min(last, level))]
        })
    }

    public func draw(in canvas: Canvas) {
        guard canvas.width > 0, canvas.height > 0 else { return }
        let shown = Array(values.suffix(canvas.width))
        let scale = maximum ?? shown.filter { $0.isFinite }.max()
        let text = Sparkline.render(shown, maximum: scale, levels: canvas.glyphs.levels)
        canvas.put(row: 0, col: canvas.width - shown.count, text, style: style ?? canvas.theme.sparkline)
    }
}
