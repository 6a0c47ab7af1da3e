/// An in-memory terminal: a grid of cells plus a scripted key queue.
///
/// Used by tests and by anything that wants the screen as text (snapshots,
/// batch output). `text()` and `styledText()` show what has been *presented*,
/// as a real terminal would.
///
///     let term = GridTerminal(rows: 24, cols: 80)
///     term.enqueue(.down, .down, .char("q"))
///     term.onIdle = { ms in clock.advance(milliseconds: ms) }
public final class GridTerminal: Terminal {
    private var buffer: ScreenBuffer
    /// Scripted input. A `nil` entry is a timeout (one idle tick).
    public var pendingKeys: [Key?] = []
    /// Called when `readKey` times out (queue empty or a `nil` entry), with the
    /// timeout: lets a test advance a manual clock as real waiting would.
    public var onIdle: ((Int) -> Void)?
    public private(set) var lastPresentWrites = 0
    /// Cells written by all presents so far.
    public private(set) var totalWrites = 0
    public private(set) var presentCount = 0
    public private(set) var restoreCount = 0

    public init(rows: Int, cols: Int, colorMode: ColorMode = .color) {
        buffer = ScreenBuffer(size: Size(rows: rows, cols: cols), colorMode: colorMode)
    }

    public var size: Size { buffer.size }
    public var colorMode: ColorMode { buffer.colorMode }

    public func put(row: Int, col: Int, _ text: String, style: Style) {
        buffer.put(row: row, col: col, text, style: style)
    }

    public func fill(_ rect: Rect, char: Character, style: Style) {
        buffer.fill(rect, char: char, style: style)
    }

    public func clear() { buffer.clear() }
    public func invalidate() { buffer.invalidate() }

    public func present() {
        let runs = buffer.commit()
        lastPresentWrites = runs.reduce(0) { $0 + $1.count }
        totalWrites += lastPresentWrites
        presentCount += 1
    }

    public func readKey(timeoutMS: Int) -> Key? {
        if !pendingKeys.isEmpty, let key = pendingKeys.removeFirst() {
            if key == .resize, let size = pendingSizes.first {
                pendingSizes.removeFirst()
                buffer.resize(size)
            }
            return key
        }
        onIdle?(timeoutMS)
        return nil
    }

    public func restore() { restoreCount += 1 }

    // MARK: scripting

    public func enqueue(_ keys: Key...) { pendingKeys.append(contentsOf: keys.map { Optional($0) }) }

    /// Queues one idle tick (a read that times out).
    public func enqueueTimeout(_ count: Int = 1) {
        pendingKeys.append(contentsOf: repeatElement(nil, count: count))
    }

    /// Simulates the user resizing the window: the size changes when the
    /// queued `.resize` key is read, as with curses' KEY_RESIZE.
    public func enqueueResize(rows: Int, cols: Int) {
        pendingSizes.append(Size(rows: rows, cols: cols))
        pendingKeys.append(.resize)
    }

    private var pendingSizes: [Size] = []

    // MARK: inspection

    /// The presented screen: rows joined by "\n", trailing spaces trimmed.
    public func text() -> String {
        (0..<size.rows).map { row in
            var line = String((0..<size.cols).map { buffer.presentedCell(row: row, col: $0).char })
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The presented screen with styles: every run of non-plain cells is
    /// wrapped as `[style]text[/]`, e.g. `[black on cyan]Help[/]`. Trailing
    /// plain spaces are trimmed.
    public func styledText() -> String {
        (0..<size.rows).map { row in
            var line = ""
            var col = 0
            while col < size.cols {
                let style = buffer.presentedCell(row: row, col: col).style
                var text = ""
                while col < size.cols, buffer.presentedCell(row: row, col: col).style == style {
                    text.append(buffer.presentedCell(row: row, col: col).char)
                    col += 1
                }
                if style == .plain {
                    line += text
                } else {
                    line += "[\(style)]\(text)[/]"
                }
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The presented cell at (row, col).
    public func cell(row: Int, col: Int) -> Cell { buffer.presentedCell(row: row, col: col) }
}
