/// The Blobs panel: every device of every image with its tag, the images
/// referencing it, its size, how much of it is cached and how many containers
/// read through it.
struct BlobsPanel {
    enum SortKey: Int, SortColumn {
        case device, tag, size, cached, containers
        var startsAscending: Bool { self == .device || self == .tag }
    }

    var state = TablePanelState(sortedBy: SortKey.device)
    var table: TableState {
        get { state.table }
        set { state.table = newValue }
    }
    var sort: TableSort<SortKey> { state.sort }
    private(set) var rows: [BlobRow] = []
    private var fetched: (generation: UInt64, sort: TableSort<SortKey>)?

    mutating func refresh(source: any DashboardDataSource, generation: UInt64, visibleRows: Int) {
        if let f = fetched, f.generation == generation, f.sort == sort { return }
        fetched = (generation, sort)
        rows = source.blobs
        let asc = sort.ascending
        let column = sort.column
        rows.sort { a, b in
            let primary: Bool?
            switch column {
            case .device: primary = ordered(a.device, b.device, ascending: asc)
            case .tag: primary = ordered(a.tag, b.tag, ascending: asc)
            case .size: primary = ordered(a.sizeBytes, b.sizeBytes, ascending: asc)
            case .cached: primary = ordered(a.cachedBytes, b.cachedBytes, ascending: asc)
            case .containers: primary = ordered(a.containers, b.containers, ascending: asc)
            }
            return primary ?? (a.device != b.device ? a.device < b.device : a.tag < b.tag)
        }
        state.select(table.selected, rowCount: rows.count, visibleRows: visibleRows)
    }

    mutating func handle(key: Key, visibleRows: Int) -> Bool {
        state.handle(key: key, rowCount: rows.count, visibleRows: visibleRows)
    }

    mutating func select(index: Int, visibleRows: Int) {
        state.select(index, rowCount: rows.count, visibleRows: visibleRows)
    }

    func search(_ text: String, startingAt start: Int) -> Int? {
        state.search(text, startingAt: start, rowCount: rows.count) { [rows] in [rows[$0].tag] }
    }

    func draw(in canvas: Canvas, header: DashboardHeader, focused: Bool) {
        let inner = Box(title: "Blobs: \(rows.count) devices", focused: focused).draw(in: canvas)
        guard inner.height > 0 else { return }
        let columns = [
            TableColumn("Dev", width: .fixed(3), alignment: .right),
            TableColumn("Tag", width: .flexible(min: 7)),
            TableColumn("Images", width: .flexible(min: 5)),
            TableColumn("Size", width: .fixed(10), alignment: .right),
            TableColumn("Cached", width: .fixed(rows.contains { $0.separateCaches > 1 } ? 14 : 10), alignment: .right),
            TableColumn("Ctr", width: .fixed(3), alignment: .right),
        ]
        let sortColumn: Int
        switch sort.column {
        case .device: sortColumn = 0
        case .tag: sortColumn = 1
        case .size: sortColumn = 3
        case .cached: sortColumn = 4
        case .containers: sortColumn = 5
        }
        let window = state.window(rowCount: rows.count, height: inner.height)
        let shown = window.range.map { i -> TableRow in
            let row = rows[i]
            let images = row.images.map { $0 < header.images.count ? header.images[$0].label : "?" }
            return TableRow([
                String(row.device),
                row.tag,
                images.joined(separator: ","),
                DashboardFormat.bytes(row.sizeBytes),
                DashboardFormat.bytes(row.cachedBytes) + (row.separateCaches > 1 ? " in \(row.separateCaches)" : ""),
                String(row.containers),
            ])
        }
        state.view(window, columns: columns, rows: shown, focused: focused, sortColumn: sortColumn,
                   emptyText: "no devices").draw(in: inner)
    }
}
