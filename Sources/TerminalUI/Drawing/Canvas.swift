/// A rectangular view onto a `Terminal`, with clipping: widgets draw in local
/// coordinates (0,0 is the canvas' top-left) and nothing lands outside the
/// canvas. Carries the glyphs and theme to draw with.
///
///     let canvas = Canvas(terminal: term)
///     let (top, rest) = …
///     Box(title: "Images", focused: true).draw(in: canvas.sub(rect))
public struct Canvas {
    public let terminal: any Terminal
    /// The canvas in screen coordinates, already clipped to its parent.
    public let rect: Rect
    public var glyphs: GlyphSet
    public var theme: Theme

    public init(terminal: any Terminal, glyphs: GlyphSet = .unicode, theme: Theme = .default) {
        self.terminal = terminal
        self.rect = Rect(size: terminal.size)
        self.glyphs = glyphs
        self.theme = theme
    }

    private init(terminal: any Terminal, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        self.terminal = terminal
        self.rect = rect
        self.glyphs = glyphs
        self.theme = theme
    }

    public var width: Int { rect.width }
    public var height: Int { rect.height }
    public var size: Size { rect.size }
    /// The canvas in its own coordinates.
    public var bounds: Rect { Rect(row: 0, col: 0, height: rect.height, width: rect.width) }

    /// A canvas for `local` (in this canvas' coordinates), clipped to this one.
    public func sub(_ local: Rect) -> Canvas {
        let abs = local.offsetBy(rows: rect.row, cols: rect.col).intersection(rect)
        return Canvas(terminal: terminal, rect: abs, glyphs: glyphs, theme: theme)
    }

    /// Draws text at a local position, clipped to the canvas.
    public func put(row: Int, col: Int, _ text: String, style: Style = .plain) {
        guard row >= 0, row < height, col < width, !text.isEmpty else { return }
        var skip = 0
        var start = col
        if col < 0 { skip = -col; start = 0 }
        let room = width - start
        guard room > 0 else { return }
        let visible: Substring = text.dropFirst(skip).prefix(room)
        guard !visible.isEmpty else { return }
        terminal.put(row: rect.row + row, col: rect.col + start, String(visible), style: style)
    }

    /// Draws `text` padded/truncated to `width` cells.
    public func put(row: Int, col: Int, _ text: String, width fieldWidth: Int,
                    alignment: Alignment = .left, style: Style = .plain) {
        put(row: row, col: col, TextFit.fit(text, width: fieldWidth, alignment: alignment, ellipsis: nil), style: style)
    }

    /// Fills a local rectangle (default: the whole canvas).
    public func fill(_ local: Rect? = nil, char: Character = " ", style: Style = .plain) {
        let target = (local ?? bounds).offsetBy(rows: rect.row, cols: rect.col).intersection(rect)
        terminal.fill(target, char: char, style: style)
    }

    public func clear(style: Style = .plain) { fill(nil, char: " ", style: style) }

    /// Draws a horizontal run of `char`.
    public func hline(row: Int, col: Int, length: Int, char: Character, style: Style = .plain) {
        guard length > 0 else { return }
        fill(Rect(row: row, col: col, height: 1, width: length), char: char, style: style)
    }

    /// Draws a vertical run of `char`.
    public func vline(row: Int, col: Int, length: Int, char: Character, style: Style = .plain) {
        guard length > 0 else { return }
        fill(Rect(row: row, col: col, height: length, width: 1), char: char, style: style)
    }
}
