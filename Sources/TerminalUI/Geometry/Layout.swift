/// Splits rectangles into rows or columns.
///
///     let parts = Layout.rows(screen, [.fixed(1), .weight(2), .weight(1), .fixed(1)])
///     // header line, two panels sharing the rest 2:1, status line
///
/// Fixed extents are honoured first (clamped to the space available); what is
/// left is shared among the weighted parts in proportion, and rounding leftovers
/// go to the earliest weighted parts so the parts always tile the rectangle.
public enum Layout {
    public enum Extent: Hashable, Sendable {
        case fixed(Int)
        case weight(Int)
    }

    /// Splits `rect` top to bottom.
    public static func rows(_ rect: Rect, _ extents: [Extent]) -> [Rect] {
        var row = rect.row
        return split(total: rect.height, extents).map { h in
            defer { row += h }
            return Rect(row: row, col: rect.col, height: h, width: rect.width)
        }
    }

    /// Splits `rect` left to right.
    public static func columns(_ rect: Rect, _ extents: [Extent]) -> [Rect] {
        var col = rect.col
        return split(total: rect.width, extents).map { w in
            defer { col += w }
            return Rect(row: rect.row, col: col, height: rect.height, width: w)
        }
    }

    /// Convenience: rows by weights only.
    public static func rows(_ rect: Rect, weights: [Int]) -> [Rect] { rows(rect, weights.map { .weight($0) }) }

    /// Convenience: columns by weights only.
    public static func columns(_ rect: Rect, weights: [Int]) -> [Rect] { columns(rect, weights.map { .weight($0) }) }

    /// The lengths of each part; they sum to `total` whenever a weighted part
    /// exists (otherwise to at most `total`).
    public static func split(total: Int, _ extents: [Extent]) -> [Int] {
        var remaining = max(0, total)
        var lengths = [Int](repeating: 0, count: extents.count)
        for (i, e) in extents.enumerated() {
            if case .fixed(let n) = e {
                lengths[i] = min(max(0, n), remaining)
                remaining -= lengths[i]
            }
        }
        let weights = extents.map { e -> Int in
            if case .weight(let w) = e { return max(0, w) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0 else { return lengths }
        var given = 0
        for i in extents.indices where weights[i] > 0 {
            lengths[i] = remaining * weights[i] / totalWeight
            given += lengths[i]
        }
        var leftover = remaining - given
        for i in extents.indices where weights[i] > 0 && leftover > 0 {
            lengths[i] += 1
            leftover -= 1
        }
        return lengths
    }
}
