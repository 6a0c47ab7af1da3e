/// What the three table panels (Files, Shared, Blobs) share: the selection and
/// scroll position, the sort order and its keys, search by text with wrap-around,
/// and the window of rows drawn with the sort column marked.
///
/// The panel keeps its rows (in display order, or as an order of indices) and
/// passes their count; this type never copies them.
struct TablePanelState<Column: SortColumn>: Hashable {
    var table = TableState()
    var sort: TableSort<Column>

    init(sortedBy column: Column) {
        sort = TableSort(column)
    }

    /// Navigation keys, then the sort keys (`<`, `>`, `s`).
    mutating func handle(key: Key, rowCount: Int, visibleRows: Int) -> Bool {
        table.handle(key: key, rowCount: rowCount, visibleRows: visibleRows) || sort.handle(key)
    }

    /// Selects `index` (clamped) and scrolls to show it.
    mutating func select(_ index: Int, rowCount: Int, visibleRows: Int) {
        table.select(index, rowCount: rowCount, visibleRows: visibleRows)
    }

    /// The first display index from `start` (wrapping) whose texts contain
    /// `text`, case-insensitively.
    func search(_ text: String, startingAt start: Int, rowCount: Int, texts: (Int) -> [String]) -> Int? {
        let needle = text.lowercased()
        guard !needle.isEmpty, rowCount > 0 else { return nil }
        for k in 0..<rowCount {
            let i = (start + k) % rowCount
            if texts(i).contains(where: { $0.lowercased().contains(needle) }) { return i }
        }
        return nil
    }

    /// The rows that fit in `height` lines (header included).
    func window(rowCount: Int, height: Int) -> TableWindow {
        TableWindow(state: table, rowCount: rowCount, height: height)
    }

    /// The table view over the window's rows, with the sort column (at display
    /// column `sortColumn`) marked.
    func view(_ window: TableWindow, columns: [TableColumn], rows: [TableRow], focused: Bool, sortColumn: Int,
              emptyText: String) -> TableView {
        window.table(columns: columns, rows: rows, focused: focused, sortColumn: sortColumn,
                     sortAscending: sort.ascending, emptyText: emptyText)
    }
}
