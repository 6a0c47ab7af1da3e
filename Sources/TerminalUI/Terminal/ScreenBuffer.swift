/// One character cell.
public struct Cell: Hashable, Sendable {
    public var char: Character
    public var style: Style

    public init(_ char: Character = " ", style: Style = .plain) {
        self.char = char
        self.style = style
    }

    public static let blank = Cell()
}

/// Consecutive changed cells in one row sharing a style: the unit a backend
/// writes in one call.
public struct CellRun: Hashable, Sendable {
    public var row: Int
    public var col: Int
    public var text: String
    public var style: Style
    public var count: Int
}

/// The screen layer shared by both backends: a back buffer that drawing goes to
/// and a copy of what the device shows (the front). `commit()` returns only the
/// differences and makes the front match the back.
///
/// Styles are resolved through `colorMode` as they are stored, so a monochrome
/// terminal's buffer holds attributes only.
public struct ScreenBuffer: Sendable {
    public private(set) var size: Size
    public var colorMode: ColorMode
    private var back: [Cell]
    private var front: [Cell]
    private var frontValid = false

    public init(size: Size, colorMode: ColorMode = .color) {
        self.size = size
        self.colorMode = colorMode
        back = Array(repeating: .blank, count: size.rows * size.cols)
        front = back
    }

    /// Changes the size; contents are blanked and the front is invalidated.
    public mutating func resize(_ newSize: Size) {
        size = newSize
        back = Array(repeating: .blank, count: newSize.rows * newSize.cols)
        front = back
        frontValid = false
    }

    /// Draws text clipped to the screen; returns the number of cells touched.
    @discardableResult
    public mutating func put(row: Int, col: Int, _ text: String, style: Style) -> Int {
        guard row >= 0, row < size.rows, col < size.cols else { return 0 }
        let resolved = colorMode.resolve(style)
        var c = col
        var written = 0
        for ch in text {
            if c >= size.cols { break }
            if c >= 0 {
                back[row * size.cols + c] = Cell(ScreenBuffer.sanitize(ch), style: resolved)
                written += 1
            }
            c += 1
        }
        return written
    }

    public mutating func fill(_ rect: Rect, char: Character, style: Style) {
        let r = rect.intersection(Rect(size: size))
        guard !r.isEmpty else { return }
        let cell = Cell(ScreenBuffer.sanitize(char), style: colorMode.resolve(style))
        for row in r.row..<r.maxRow {
            let base = row * size.cols
            for col in r.col..<r.maxCol { back[base + col] = cell }
        }
    }

    public mutating func clear() {
        for i in back.indices { back[i] = .blank }
    }

    public mutating func invalidate() { frontValid = false }

    /// The cell in the back buffer (what the next present will show).
    public func cell(row: Int, col: Int) -> Cell { back[row * size.cols + col] }

    /// The cell the device shows (as of the last commit).
    public func presentedCell(row: Int, col: Int) -> Cell { front[row * size.cols + col] }

    /// The runs of cells that differ from the front; afterwards the front
    /// matches the back. With an invalid front every cell is returned.
    public mutating func commit() -> [CellRun] {
        var runs: [CellRun] = []
        let cols = size.cols
        for row in 0..<size.rows {
            var current: CellRun?
            for col in 0..<cols {
                let i = row * cols + col
                let cell = back[i]
                guard !frontValid || front[i] != cell else {
                    if let run = current { runs.append(run); current = nil }
                    continue
                }
                front[i] = cell
                if var run = current, run.style == cell.style {
                    run.text.append(cell.char)
                    run.count += 1
                    current = run
                } else {
                    if let run = current { runs.append(run) }
                    current = CellRun(row: row, col: col, text: String(cell.char), style: cell.style, count: 1)
                }
            }
            if let run = current { runs.append(run) }
        }
        frontValid = true
        return runs
    }

    static func sanitize(_ ch: Character) -> Character {
        if let a = ch.asciiValue { return a < 0x20 || a == 0x7f ? " " : ch }
        if ch.unicodeScalars.first.map({ $0.properties.generalCategory == .control }) == true { return " " }
        return ch
    }
}
