/// The rows of a long table that fit in a panel: tables format only these
/// (formatting 100 000 rows per frame would not fit the frame budget).
struct TableWindow {
    /// Indices of the rows shown.
    let range: Range<Int>
    /// The selection relative to the first row shown.
    let selected: Int

    init(state: TableState, rowCount: Int, height: Int) {
        let visible = TableView.visibleRows(height: height)
        let offset = TableState.offset(current: state.offset, selected: state.selected,
                                       rowCount: rowCount, visibleRows: visible)
        range = offset..<min(rowCount, offset + visible)
        selected = state.selected - offset
    }

    /// A table view over the shown rows only.
    func table(columns: [TableColumn], rows: [TableRow], focused: Bool, sortColumn: Int? = nil,
               sortAscending: Bool = false, emptyText: String = "", showsSelection: Bool = true) -> TableView {
        TableView(columns: columns, rows: rows,
                  state: TableState(selected: showsSelection ? selected : -1, offset: 0),
                  focused: focused, sortColumn: sortColumn, sortAscending: sortAscending, emptyText: emptyText)
    }
}
