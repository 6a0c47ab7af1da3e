/// The Shared chunks panel: chunks and whole files stored once and referenced
/// more than once, with who shares them. Sortable; `h`/`l` pick which sharer
/// Enter jumps to in Files.
struct SharedPanel {
    enum SortKey: Int, SortColumn { case kind, size, cached, sharers }

    var state = TablePanelState(sortedBy: SortKey.size)
    var table: TableState {
        get { state.table }
        set { state.table = newValue }
    }
    var sort: TableSort<SortKey> { state.sort }
    /// Which sharer of the selected row is the jump target.
    private(set) var target = 0
    private(set) var rows: [SharedRow] = []
    /// Display order: indices into `rows`.
    private(set) var order: [Int] = []
    private var orderKey: OrderKey?
    private var fetchedGeneration: UInt64?

    /// The order only depends on the rows' count while sorting by a column
    /// that does not change during a replay (sources keep row order stable).
    private struct OrderKey: Hashable {
        var count: Int
        var sort: TableSort<SortKey>
        var generation: UInt64?
    }

    var rowCount: Int { order.count }

    var selectedRow: SharedRow? {
        order.indices.contains(table.selected) ? rows[order[table.selected]] : nil
    }

    /// The sharer Enter jumps to.
    var jumpTarget: SharedFileRef? {
        guard let row = selectedRow, !row.sharers.isEmpty else { return nil }
        return row.sharers[min(target, row.sharers.count - 1)]
    }

    mutating func refresh(source: any DashboardDataSource, generation: UInt64, visibleRows: Int) {
        guard fetchedGeneration != generation || orderKey?.sort != sort else { return }
        fetchedGeneration = generation
        // Let go of the old rows first: a source that keeps its rows and updates them in place
        // then holds the only reference, and no copy is made.
        rows = []
        rows = source.shared
        let key = OrderKey(count: rows.count, sort: sort, generation: sort.column == .cached ? generation : nil)
        if key != orderKey {
            orderKey = key
            order = SharedPanel.order(rows, by: sort)
        }
        state.select(table.selected, rowCount: order.count, visibleRows: visibleRows)
    }

    static func order(_ rows: [SharedRow], by sort: TableSort<SortKey>) -> [Int] {
        let asc = sort.ascending
        return rows.indices.sorted { i, j in
            let a = rows[i], b = rows[j]
            let primary: Bool?
            switch sort.column {
            case .kind: primary = ordered(a.kind.rawValue, b.kind.rawValue, ascending: asc)
            case .size: primary = ordered(a.sizeBytes, b.sizeBytes, ascending: asc)
            case .cached: primary = ordered(a.cachedFraction, b.cachedFraction, ascending: asc)
            case .sharers: primary = ordered(a.sharers.count, b.sharers.count, ascending: asc)
            }
            return primary ?? (i < j)
        }
    }

    mutating func handle(key: Key, visibleRows: Int) -> Bool {
        let before = table.selected
        if state.handle(key: key, rowCount: order.count, visibleRows: visibleRows) {
            if table.selected != before { target = 0 }
            return true
        }
        switch key {
        case .right, .char("l"):
            guard let row = selectedRow, target + 1 < row.sharers.count else { return false }
            target += 1
            return true
        case .left, .char("h"):
            guard target > 0 else { return false }
            target -= 1
            return true
        default:
            return false
        }
    }

    mutating func select(index: Int, visibleRows: Int) {
        if index != table.selected { target = 0 }
        state.select(index, rowCount: order.count, visibleRows: visibleRows)
    }

    func search(_ text: String, startingAt start: Int) -> Int? {
        state.search(text, startingAt: start, rowCount: order.count) { [rows, order] in rows[order[$0]].sharers.map(\.path) }
    }

    func draw(in canvas: Canvas, header: DashboardHeader, focused: Bool) {
        let chunks = rows.lazy.filter { $0.kind == .chunk }.count
        let title = "Shared: \(chunks) chunks, \(rows.count - chunks) files"
        let inner = Box(title: title, focused: focused).draw(in: canvas)
        guard inner.height > 0 else { return }
        let columns = [
            TableColumn("Kind", width: .fixed(5)),
            TableColumn("Size", width: .fixed(10), alignment: .right),
            TableColumn("Cache", width: .fixed(5), alignment: .right),
            TableColumn("N", width: .fixed(3), alignment: .right),
            TableColumn("Sharers (image:path)", width: .flexible(min: 10)),
        ]
        let sortColumn: Int
        switch sort.column {
        case .kind: sortColumn = 0
        case .size: sortColumn = 1
        case .cached: sortColumn = 2
        case .sharers: sortColumn = 3
        }
        let window = state.window(rowCount: order.count, height: inner.height)
        let shown = window.range.map { i -> TableRow in
            let row = rows[order[i]]
            var sharers = row.sharers
            var lead = ""
            if i == table.selected, !sharers.isEmpty {
                let t = min(target, sharers.count - 1)
                sharers = Array(sharers[t...] + sharers[..<t])
                lead = inner.glyphs.isUnicode ? "→ " : "> "
            }
            let names = sharers.map { s -> String in
                let label = s.image < header.images.count ? header.images[s.image].label : "?"
                return label + ":" + s.path
            }
            return TableRow([
                row.kind.rawValue,
                DashboardFormat.bytes(row.sizeBytes),
                DashboardFormat.percent(row.cachedFraction),
                String(row.sharers.count),
                lead + names.joined(separator: ", "),
            ], style: row.cachedFraction > 0 ? nil : inner.theme.emptyPage)
        }
        state.view(window, columns: columns, rows: shown, focused: focused, sortColumn: sortColumn,
                   emptyText: "nothing shared").draw(in: inner)
    }
}
