/// A terminal size in character cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var rows: Int
    public var cols: Int

    public init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
    }

    /// True when both dimensions are at least those of `other`.
    public func fits(_ other: Size) -> Bool { rows >= other.rows && cols >= other.cols }

    /// `WxH`, the way terminal sizes are usually written (columns first).
    public var description: String { "\(cols)x\(rows)" }
}

/// A rectangle of cells: origin (`row`, `col`) and extent (`height`, `width`).
///
/// Rectangles with a zero or negative extent are empty; their origin is kept so
/// that layout arithmetic stays simple.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var col: Int
    public var height: Int
    public var width: Int

    public init(row: Int, col: Int, height: Int, width: Int) {
        self.row = row
        self.col = col
        self.height = max(0, height)
        self.width = max(0, width)
    }

    public init(size: Size) { self.init(row: 0, col: 0, height: size.rows, width: size.cols) }

    public var isEmpty: Bool { height == 0 || width == 0 }
    public var maxRow: Int { row + height }   // exclusive
    public var maxCol: Int { col + width }    // exclusive
    public var size: Size { Size(rows: height, cols: width) }

    public func contains(row r: Int, col c: Int) -> Bool {
        r >= row && r < maxRow && c >= col && c < maxCol
    }

    public func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row), left = max(col, other.col)
        let bottom = min(maxRow, other.maxRow), right = min(maxCol, other.maxCol)
        return Rect(row: top, col: left, height: bottom - top, width: right - left)
    }

    /// Shrinks the rectangle by `n` cells on every side.
    public func inset(by n: Int) -> Rect {
        inset(top: n, left: n, bottom: n, right: n)
    }

    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        Rect(row: row + top, col: col + left, height: height - top - bottom, width: width - left - right)
    }

    public func offsetBy(rows dr: Int, cols dc: Int) -> Rect {
        Rect(row: row + dr, col: col + dc, height: height, width: width)
    }

    /// A rectangle of `size` centred inside this one (clamped to fit).
    public func centered(_ size: Size) -> Rect {
        let h = min(size.rows, height), w = min(size.cols, width)
        return Rect(row: row + (height - h) / 2, col: col + (width - w) / 2, height: h, width: w)
    }

    public var description: String { "(\(row),\(col) \(width)x\(height))" }
}
