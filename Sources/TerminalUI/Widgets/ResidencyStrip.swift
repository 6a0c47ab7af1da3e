/// Whether a page of a file is in the page cache, and whose.
public enum StripCell: Hashable, Sendable {
    case absent
    /// Resident, cached for one owner (an index into the strip's owners).
    case owned(Int)
    /// Resident and shared by more than one owner.
    case shared
}

/// How an owner (an image or container) appears in the strip.
public struct ResidencyOwner: Hashable, Sendable {
    public var symbol: Character
    public var style: Style

    public init(_ symbol: Character, style: Style) {
        self.symbol = symbol
        self.style = style
    }
}

/// One cell per page: the owner's symbol in its colour, a distinct marker
/// (`●`/`*`) for shared pages, a dim dot for absent ones. Fills the canvas row
/// by row. When there are more pages than cells, each cell covers a run of
/// pages (see `aggregate`).
public struct ResidencyStrip {
    /// What one cell shows.
    public enum CellState: Hashable, Sendable {
        case absent
        /// `partial`: fewer than half of the cell's pages are resident.
        case owned(Int, partial: Bool)
        case shared
    }

    public var pages: [StripCell]
    public var owners: [ResidencyOwner]

    public init(pages: [StripCell], owners: [ResidencyOwner]) {
        self.pages = pages
        self.owners = owners
    }

    /// Compresses `pages` into at most `cells` cells. Cell i covers pages
    /// [i·n/cells, (i+1)·n/cells). A cell is shared if any of its pages is
    /// shared; otherwise it shows the owner with the most resident pages (ties:
    /// the lower index), partial when under half its pages are resident; absent
    /// when none is. With no more pages than cells, one cell per page.
    public static func aggregate(_ pages: [StripCell], cells: Int) -> [CellState] {
        guard cells > 0, !pages.isEmpty else { return [] }
        let n = pages.count
        let count = min(n, cells)
        var result: [CellState] = []
        result.reserveCapacity(count)
        var tally: [Int: Int] = [:]
        for i in 0..<count {
            let start = i * n / count, end = (i + 1) * n / count
            tally.removeAll(keepingCapacity: true)
            var shared = false
            var resident = 0
            for page in pages[start..<end] {
                switch page {
                case .absent: break
                case .shared: shared = true; resident += 1
                case .owned(let o): tally[o, default: 0] += 1; resident += 1
                }
            }
            if shared {
                result.append(.shared)
            } else if let best = tally.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
                result.append(.owned(best.key, partial: resident * 2 < end - start))
            } else {
                result.append(.absent)
            }
        }
        return result
    }

    public func draw(in canvas: Canvas) {
        let theme = canvas.theme, g = canvas.glyphs
        let cells = ResidencyStrip.aggregate(pages, cells: canvas.width * canvas.height)
        guard canvas.width > 0 else { return }
        var row = 0
        var start = 0
        while start < cells.count {
            let end = min(cells.count, start + canvas.width)
            // Draw runs of equal cells in one call.
            var col = 0
            var i = start
            while i < end {
                var j = i + 1
                while j < end, cells[j] == cells[i] { j += 1 }
                let (ch, style) = glyph(cells[i], glyphs: g, theme: theme)
                canvas.put(row: row, col: col, String(repeating: String(ch), count: j - i), style: style)
                col += j - i
                i = j
            }
            start = end
            row += 1
        }
    }

    private func glyph(_ cell: CellState, glyphs g: GlyphSet, theme: Theme) -> (Character, Style) {
        switch cell {
        case .absent:
            return (g.emptyPage, theme.emptyPage)
        case .shared:
            return (g.shared, theme.sharedPage)
        case .owned(let o, let partial):
            let owner = o >= 0 && o < owners.count ? owners[o] : ResidencyOwner("?", style: .plain)
            return (owner.symbol, partial ? owner.style.with(.dim) : owner.style)
        }
    }
}
