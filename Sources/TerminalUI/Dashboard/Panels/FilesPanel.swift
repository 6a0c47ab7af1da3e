/// The Files panel: an ncdu-like browser of one image at a time. Its top level
/// lists the images; Enter opens an image or a directory, Backspace or left
/// goes back up. Each row shows the size with a bar relative to the largest
/// entry, a marker for content shared with other images, and how much of it
/// is cached.
struct FilesPanel {
    enum SortKey: Int, SortColumn {
        case size, shared, cached, name
        var startsAscending: Bool { self == .name }
    }

    /// A directory opened below an image's root.
    struct Step: Hashable { var id: FileID; var name: String }

    /// nil: the list of images.
    private(set) var image: Int?
    private(set) var path: [Step] = []
    var state = TablePanelState(sortedBy: SortKey.size)
    var table: TableState {
        get { state.table }
        set { state.table = newValue }
    }
    var sort: TableSort<SortKey> { state.sort }
    private(set) var rows: [FileRow] = []
    /// Selection to restore on the next refresh (after going up or jumping).
    private var pendingSelection: FileID?
    private var fetched: FetchKey?

    private struct FetchKey: Hashable {
        var image: Int?
        var directory: FileID?
        var generation: UInt64
        var sort: TableSort<SortKey>
    }

    /// The directory shown, nil at the image list.
    func currentDirectory(_ header: DashboardHeader) -> FileID? {
        guard let image, image < header.images.count else { return nil }
        return path.last?.id ?? header.images[image].root
    }

    var selectedRow: FileRow? {
        rows.indices.contains(table.selected) ? rows[table.selected] : nil
    }

    /// The selected regular file, if any (the Inode map's subject).
    var selectedFile: (image: Int, file: FileID)? {
        guard let image, let row = selectedRow, !row.isDirectory else { return nil }
        return (image, row.id)
    }

    /// "image.erofs:/usr/lib", or "Images".
    func location(_ header: DashboardHeader) -> String {
        guard let image, image < header.images.count else { return "Images" }
        return header.images[image].label + ":/" + path.map(\.name).joined(separator: "/")
    }

    // MARK: data

    mutating func refresh(source: any DashboardDataSource, header: DashboardHeader, generation: UInt64, visibleRows: Int) {
        if let image, image >= header.images.count { self.image = nil; path = [] }
        let key = FetchKey(image: image, directory: currentDirectory(header), generation: generation, sort: sort)
        guard key != fetched else { return }
        fetched = key
        let keep = pendingSelection ?? selectedRow?.id
        pendingSelection = nil
        if let image, let directory = key.directory {
            rows = source.children(image: image, of: directory)
        } else {
            rows = header.images.enumerated().map { i, info in
                FileRow(id: FileID(UInt64(i)), name: info.label, isDirectory: true, sizeBytes: info.sizeBytes,
                        sharedWith: info.sharedFiles, cachedFraction: info.cachedFraction)
            }
        }
        FilesPanel.sort(&rows, by: sort)
        let index = keep.flatMap { id in rows.firstIndex { $0.id == id } } ?? table.selected
        state.select(index, rowCount: rows.count, visibleRows: visibleRows)
    }

    static func sort(_ rows: inout [FileRow], by sort: TableSort<SortKey>) {
        let asc = sort.ascending
        rows.sort { a, b in
            let primary: Bool?
            switch sort.column {
            case .size: primary = ordered(a.sizeBytes, b.sizeBytes, ascending: asc)
            case .shared: primary = ordered(a.sharedWith, b.sharedWith, ascending: asc)
            case .cached: primary = ordered(a.cachedFraction, b.cachedFraction, ascending: asc)
            case .name: primary = ordered(a.name, b.name, ascending: asc)
            }
            return primary ?? (a.name != b.name ? a.name < b.name : a.id < b.id)
        }
    }

    // MARK: navigation

    enum Outcome { case handled, ignored, openedFile }

    mutating func handle(key: Key, visibleRows: Int) -> Outcome {
        if state.handle(key: key, rowCount: rows.count, visibleRows: visibleRows) { return .handled }
        switch key {
        case .enter, .right, .char("l"):
            guard let row = selectedRow else { return .ignored }
            if image == nil {
                image = Int(row.id.rawValue)
                path = []
            } else if row.isDirectory {
                path.append(Step(id: row.id, name: row.name))
            } else {
                return key == .enter ? .openedFile : .ignored
            }
            table = TableState()
            fetched = nil
            return .handled
        case .backspace, .left, .char("h"):
            return goUp() ? .handled : .ignored
        default:
            return .ignored
        }
    }

    /// One level up; the directory left stays selected (as in ncdu).
    mutating func goUp() -> Bool {
        if let last = path.popLast() {
            pendingSelection = last.id
        } else if let image {
            pendingSelection = FileID(UInt64(image))
            self.image = nil
        } else {
            return false
        }
        fetched = nil
        return true
    }

    /// Opens the folder of `file` in `image` and selects it. Returns false
    /// when the source does not know the file's ancestors.
    mutating func reveal(image target: Int, file: FileID, source: any DashboardDataSource, header: DashboardHeader) -> Bool {
        guard target < header.images.count, let chain = source.ancestors(image: target, of: file), !chain.isEmpty else {
            return false
        }
        var steps: [Step] = []
        var parent = chain[0]
        for id in chain.dropFirst() {
            let name = source.children(image: target, of: parent).first { $0.id == id }?.name ?? id.description
            steps.append(Step(id: id, name: name))
            parent = id
        }
        image = target
        path = steps
        table = TableState()
        pendingSelection = file
        fetched = nil
        return true
    }

    mutating func select(index: Int, visibleRows: Int) {
        state.select(index, rowCount: rows.count, visibleRows: visibleRows)
    }

    /// Index of the next row (from the selection, wrapping) whose name
    /// contains `text`, case-insensitively.
    func search(_ text: String, startingAt start: Int) -> Int? {
        state.search(text, startingAt: start, rowCount: rows.count) { [rows] in [rows[$0].name] }
    }

    // MARK: drawing

    func draw(in canvas: Canvas, header: DashboardHeader, focused: Bool) {
        let inner = Box(title: "Files: " + location(header), focused: focused).draw(in: canvas)
        guard inner.height > 0 else { return }
        let g = inner.glyphs
        let barWidth = max(4, min(20, inner.width / 6))
        let columns = [
            TableColumn("Size", width: .fixed(10), alignment: .right),
            TableColumn("", width: .fixed(barWidth + 2)),
            TableColumn("Sh", width: .fixed(3)),
            TableColumn("Cache", width: .fixed(5), alignment: .right),
            TableColumn(image == nil ? "Image" : "Name", width: .flexible(min: 8)),
        ]
        let sortColumn: Int
        switch sort.column {
        case .size: sortColumn = 0
        case .shared: sortColumn = 2
        case .cached: sortColumn = 3
        case .name: sortColumn = 4
        }
        let largest = rows.lazy.map(\.sizeBytes).max() ?? 0
        let window = state.window(rowCount: rows.count, height: inner.height)
        let shown = window.range.map { i -> TableRow in
            let row = rows[i]
            let fraction = largest > 0 ? Double(row.sizeBytes) / Double(largest) : 0
            var marker = ""
            if row.sharedWith > 0 {
                marker = String(g.shared) + (row.isDirectory ? "" : String(min(99, row.sharedWith)))
            }
            return TableRow([
                DashboardFormat.bytes(row.sizeBytes),
                "[" + DashboardFormat.bar(fraction, width: barWidth, glyphs: g) + "]",
                marker,
                DashboardFormat.percent(row.cachedFraction),
                row.isDirectory && image != nil ? row.name + "/" : row.name,
            ], style: row.isDirectory ? inner.theme.directory : nil)
        }
        let emptyText = image == nil ? "no images" : "empty directory"
        state.view(window, columns: columns, rows: shown, focused: focused, sortColumn: sortColumn,
                   emptyText: emptyText).draw(in: inner)
    }
}
