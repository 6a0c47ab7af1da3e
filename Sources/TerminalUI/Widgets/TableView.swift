/// A column of a `TableView`.
public struct TableColumn: Hashable, Sendable {
    public enum Width: Hashable, Sendable {
        case fixed(Int)
        /// Shares what the fixed columns leave, never below `min`.
        case flexible(min: Int)
    }

    public var title: String
    public var width: Width
    public var alignment: Alignment

    public init(_ title: String, width: Width, alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// One row of cells; `style` overrides the theme's text style.
public struct TableRow: Hashable, Sendable {
    public var cells: [String]
    public var style: Style?

    public init(_ cells: [String], style: Style? = nil) {
        self.cells = cells
        self.style = style
    }
}

/// Selection and scroll position of a table; lives in the screen's state.
///
/// The offset only moves when the selection would leave the visible rows, so
/// moving up and down inside the view does not scroll (as in htop).
public struct TableState: Hashable, Sendable {
    public var selected: Int
    public var offset: Int

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection for navigation keys (arrows, j/k, PgUp/PgDn,
    /// Home/End, g/G). Returns true when the key was a navigation key.
    public mutating func handle(key: Key, rowCount: Int, visibleRows: Int) -> Bool {
        let page = max(1, visibleRows)
        switch key {
        case .up, .char("k"): select(selected - 1, rowCount: rowCount, visibleRows: visibleRows)
        case .down, .char("j"): select(selected + 1, rowCount: rowCount, visibleRows: visibleRows)
        case .pageUp: select(selected - page, rowCount: rowCount, visibleRows: visibleRows)
        case .pageDown: select(selected + page, rowCount: rowCount, visibleRows: visibleRows)
        case .home, .char("g"): select(0, rowCount: rowCount, visibleRows: visibleRows)
        case .end, .char("G"): select(rowCount - 1, rowCount: rowCount, visibleRows: visibleRows)
        default: return false
        }
        return true
    }

    /// Selects row `index` (clamped) and scrolls just enough to show it.
    public mutating func select(_ index: Int, rowCount: Int, visibleRows: Int) {
        selected = max(0, min(index, rowCount - 1))
        offset = TableState.offset(current: offset, selected: selected, rowCount: rowCount, visibleRows: visibleRows)
    }

    /// The offset to draw with: `current` adjusted so the selection is visible
    /// and the view is not scrolled past the last row.
    public static func offset(current: Int, selected: Int, rowCount: Int, visibleRows: Int) -> Int {
        guard visibleRows > 0, rowCount > 0 else { return 0 }
        var o = current
        if selected < o { o = selected }
        if selected >= o + visibleRows { o = selected - visibleRows + 1 }
        return max(0, min(o, rowCount - visibleRows))
    }
}

/// A table with a header, selection highlight, scrolling and a sort indicator.
///
///     PID   Image        Pages▼
///     1     base.erofs    1024      ← header (theme.tableHeader)
///     2     app.erofs      512      ← selection (theme.selection)
public struct TableView {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var state: TableState
    public var focused: Bool
    /// Index of the sorted column, if any, and its direction.
    public var sortColumn: Int?
    public var sortAscending: Bool
    /// Shown when there are no rows.
    public var emptyText: String

    public init(columns: [TableColumn], rows: [TableRow], state: TableState = TableState(),
                focused: Bool = true, sortColumn: Int? = nil, sortAscending: Bool = false,
                emptyText: String = "") {
        self.columns = columns
        self.rows = rows
        self.state = state
        self.focused = focused
        self.sortColumn = sortColumn
        self.sortAscending = sortAscending
        self.emptyText = emptyText
    }

    /// Rows that fit under the header in a canvas of `height`.
    public static func visibleRows(height: Int) -> Int { max(0, height - 1) }

    /// Widths for each column in `total` cells (one space between columns).
    public func columnWidths(total: Int) -> [Int] {
        let separators = max(0, columns.count - 1)
        var widths = columns.map { c -> Int in
            if case .fixed(let n) = c.width { return max(0, n) }
            return 0
        }
        let flexible = columns.indices.filter {
            if case .flexible = columns[$0].width { return true }
            return false
        }
        guard !flexible.isEmpty else { return widths }
        let room = total - separators - widths.reduce(0, +)
        let share = flexible.isEmpty ? 0 : max(0, room) / flexible.count
        var extra = max(0, room) - share * flexible.count
        for i in flexible {
            guard case .flexible(let minimum) = columns[i].width else { continue }
            widths[i] = max(minimum, share + (extra > 0 ? 1 : 0))
            if extra > 0 { extra -= 1 }
        }
        return widths
    }

    public func draw(in canvas: Canvas) {
        let theme = canvas.theme, g = canvas.glyphs
        guard canvas.height > 0, canvas.width > 0 else { return }
        let widths = columnWidths(total: canvas.width)

        // Header.
        canvas.fill(Rect(row: 0, col: 0, height: 1, width: canvas.width), style: theme.tableHeader)
        var col = 0
        for (i, column) in columns.enumerated() {
            var title = column.title
            if sortColumn == i { title.append(sortAscending ? g.sortAscending : g.sortDescending) }
            canvas.put(row: 0, col: col, title, width: widths[i], alignment: column.alignment, style: theme.tableHeader)
            col += widths[i] + 1
        }

        let visible = TableView.visibleRows(height: canvas.height)
        guard !rows.isEmpty else {
            if !emptyText.isEmpty, visible > 0 {
                canvas.put(row: 1, col: 0, TextFit.fit(emptyText, width: canvas.width, alignment: .center), style: theme.meterText)
            }
            return
        }
        let offset = TableState.offset(current: state.offset, selected: state.selected,
                                       rowCount: rows.count, visibleRows: visible)
        for line in 0..<visible {
            let index = offset + line
            guard index < rows.count else { break }
            let row = rows[index]
            let selected = index == state.selected
            let style = selected ? (focused ? theme.selection : theme.inactiveSelection) : (row.style ?? theme.text)
            canvas.fill(Rect(row: line + 1, col: 0, height: 1, width: canvas.width), style: style)
            var c = 0
            for (i, column) in columns.enumerated() {
                let text = i < row.cells.count ? row.cells[i] : ""
                let fitted = TextFit.fit(text, width: widths[i], alignment: column.alignment,
                                         ellipsis: column.alignment == .left ? g.ellipsis : nil)
                canvas.put(row: line + 1, col: c, fitted, style: style)
                c += widths[i] + 1
            }
        }
    }
}
