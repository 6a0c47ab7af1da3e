/// The Inode map panel: for one file, its extents or chunks → device and
/// address, and a residency strip with one cell per page (or per run of pages)
/// showing which container brought it in and whether it is shared. When the
/// source tells, a line names the other files sharing the selected extent's
/// pages, and one strip per container shows that container's view of the file
/// under the active design.
struct InodeMapPanel {
    struct Subject: Hashable { var image: Int; var file: FileID }

    private(set) var subject: Subject?
    private(set) var map: InodeMap?
    /// The map's pages as the strip draws them, with counts (computed once per fetch).
    private var residency: [PageResidency] = []
    private var residentPages = 0
    private var sharedPages = 0
    /// Per container: its view of the file's pages (empty when the source does not tell).
    private var containerResidency: [[PageResidency]] = []
    /// Other files holding pages of the selected extent, and the extent's page range.
    private(set) var sharers: [String] = []
    private(set) var sharerPages: Range<Int> = 0..<0
    /// Whether the source says anything about sharers (the line is shown then).
    private var knowsSharers = false
    var table = TableState() {
        didSet { if table.selected != oldValue.selected { updateSharers() } }
    }
    private var fetched: (subject: Subject?, generation: UInt64)?

    /// Follows `subject`; fetches again when it or the generation changed.
    mutating func refresh(subject newSubject: Subject?, source: any DashboardDataSource, generation: UInt64) {
        if newSubject != subject { table = TableState() }
        subject = newSubject
        if let f = fetched, f.subject == newSubject, f.generation == generation { return }
        fetched = (newSubject, generation)
        map = newSubject.flatMap { source.inodeMap(image: $0.image, file: $0.file) }
        residency = InodeMapPanel.residency(map?.pages ?? [])
        containerResidency = (map?.containerPages ?? []).map(InodeMapPanel.residency)
        knowsSharers = map?.pages.contains { !$0.sharedWith.isEmpty } ?? false
        updateSharers()
        residentPages = 0
        sharedPages = 0
        for r in residency {
            switch r {
            case .absent: break
            case .owned: residentPages += 1
            case .shared: residentPages += 1; sharedPages += 1
            }
        }
    }

    /// Pages of the selected extent (4 KiB each, as `InodeMap.pages`).
    static func pageRange(of extent: InodeMap.Extent, pageCount: Int) -> Range<Int> {
        let page: Int64 = 4096
        let first = Int(min(Int64(pageCount), max(0, extent.logicalOffset / page)))
        let end = Int(min(Int64(pageCount), max(Int64(first), (extent.logicalOffset + extent.length + page - 1) / page)))
        return first..<end
    }

    /// The files sharing pages of the selected extent, in first-seen order.
    private mutating func updateSharers() {
        sharers = []
        sharerPages = 0..<0
        guard let map, knowsSharers, map.extents.indices.contains(table.selected) else { return }
        sharerPages = InodeMapPanel.pageRange(of: map.extents[table.selected], pageCount: map.pages.count)
        var seen = Set<String>()
        for page in map.pages[sharerPages] {
            for name in page.sharedWith where seen.insert(name).inserted { sharers.append(name) }
        }
    }

    /// Lines under the extent table before the strips: the sharers line (when
    /// the source tells), the legend, one line per container strip.
    private var detailLines: Int { (knowsSharers ? 1 : 0) + 1 + containerResidency.count }

    /// Rows of the extent table (header included) for a panel of `innerHeight`.
    func tableHeight(innerHeight: Int) -> Int {
        let extents = map?.extents.count ?? 0
        let room = innerHeight - 1 - detailLines - 1   // summary, details, one strip line
        return max(min(2, extents + 1), min(extents + 1, max(2, min(room, (innerHeight - 2) / 2))))
    }

    mutating func handle(key: Key, innerHeight: Int) -> Bool {
        let visible = TableView.visibleRows(height: tableHeight(innerHeight: innerHeight))
        return table.handle(key: key, rowCount: map?.extents.count ?? 0, visibleRows: visible)
    }

    /// The strip's owners: one symbol and colour per container.
    static func owners(_ header: DashboardHeader, theme: Theme) -> [ResidencyOwner] {
        header.containers.indices.map { i in
            ResidencyOwner(Character(i < 9 ? String(i + 1) : "+"), style: theme.container(i))
        }
    }

    static func residency(_ pages: [InodeMap.Page]) -> [PageResidency] {
        pages.map { page in
            guard let c = page.cachedBy else { return .absent }
            return page.shared ? .shared : .owned(c)
        }
    }

    func draw(in canvas: Canvas, header: DashboardHeader, focused: Bool) {
        let inner = Box(title: "Inode map" + (map.map { ": " + $0.path } ?? ""), focused: focused).draw(in: canvas)
        guard inner.height > 0 else { return }
        let theme = inner.theme, g = inner.glyphs
        guard let map else {
            inner.put(row: 0, col: 1, subject == nil ? "Select a file in Files" : "No map for this file",
                      style: theme.meterText)
            return
        }
        let summary = "\(DashboardFormat.bytes(map.sizeBytes)), \(map.layout); "
            + "\(map.pages.count) pages, \(residentPages) cached, \(sharedPages) shared"
        inner.put(row: 0, col: 0, summary, width: inner.width, style: theme.text)

        // Extents.
        let tableHeight = tableHeight(innerHeight: inner.height)
        let wide = inner.width >= 60
        var columns = [
            TableColumn("Logical", width: .fixed(wide ? 12 : 9), alignment: .right),
            TableColumn("Dev", width: .fixed(3), alignment: .right),
            TableColumn("Physical", width: .fixed(wide ? 12 : 10), alignment: .right),
            TableColumn("Length", width: .fixed(wide ? 10 : 7), alignment: .right),
        ]
        if wide {
            columns.append(TableColumn("Kind", width: .fixed(10)))
            columns.append(TableColumn("Tag", width: .flexible(min: 8)))
        }
        let tableCanvas = inner.sub(Rect(row: 1, col: 0, height: tableHeight, width: inner.width))
        let window = TableWindow(state: table, rowCount: map.extents.count, height: tableHeight)
        let rows = window.range.map { i -> TableRow in
            let e = map.extents[i]
            var cells = [
                compact(e.logicalOffset),
                String(e.device),
                e.kind == .hole ? "-" : DashboardFormat.hex(e.physicalAddress),
                compact(e.length),
            ]
            if wide { cells += [e.kind.rawValue, e.deviceTag] }
            return TableRow(cells, style: e.kind == .hole ? theme.emptyPage : nil)
        }
        window.table(columns: columns, rows: rows, focused: focused, emptyText: "no extents",
                     showsSelection: focused).draw(in: tableCanvas)

        // Sharers of the selected extent.
        var legendRow = 1 + tableHeight
        if knowsSharers, legendRow < inner.height {
            let range = sharerPages.isEmpty ? "" : "pages \(sharerPages.lowerBound)-\(sharerPages.upperBound - 1)"
            let text = sharers.isEmpty ? "\(range): not shared with other files"
                : "\(range) shared with " + sharers.joined(separator: ", ")
            inner.put(row: legendRow, col: 0, text, width: inner.width, style: sharers.isEmpty ? theme.meterText : theme.sharedPage)
            legendRow += 1
        }
        // Legend and strips.
        guard legendRow < inner.height else { return }
        var col = 0
        let owners = InodeMapPanel.owners(header, theme: theme)
        for (i, owner) in owners.enumerated() {
            let name = i < header.containers.count ? header.containers[i].name : "?"
            inner.put(row: legendRow, col: col, String(owner.symbol), style: owner.style)
            inner.put(row: legendRow, col: col + 1, " " + name + "  ", style: theme.text)
            col += name.count + 4
        }
        inner.put(row: legendRow, col: col, String(g.shared), style: theme.sharedPage)
        inner.put(row: legendRow, col: col + 1, " shared  ", style: theme.text)
        inner.put(row: legendRow, col: col + 10, String(g.emptyPage), style: theme.emptyPage)
        inner.put(row: legendRow, col: col + 11, " absent", style: theme.text)
        var stripRow = legendRow + 1
        if !containerResidency.isEmpty {
            let labelWidth = min(14, (header.containers.map(\.name.count).max() ?? 1) + 3)
            for (i, pages) in containerResidency.enumerated() where stripRow < inner.height - 1 {
                let name = i < header.containers.count ? header.containers[i].name : "?"
                let owner = i < owners.count ? owners[i] : ResidencyOwner("+", style: theme.text)
                inner.put(row: stripRow, col: 0, String(owner.symbol), style: owner.style)
                inner.put(row: stripRow, col: 2, name, width: labelWidth - 3, style: theme.text)
                let line = inner.sub(Rect(row: stripRow, col: labelWidth, height: 1, width: max(0, inner.width - labelWidth)))
                ResidencyStrip(pages: pages, owners: owners).draw(in: line)
                stripRow += 1
            }
        }
        let strip = inner.sub(Rect(row: stripRow, col: 0, height: max(0, inner.height - stripRow), width: inner.width))
        ResidencyStrip(pages: residency, owners: owners).draw(in: strip)
    }

    /// Byte counts as the smallest exact unit: `0`, `64K`, `1M`, or bytes.
    private func compact(_ value: Int64) -> String {
        if value == 0 { return "0" }
        for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] where value % (1 << shift) == 0 {
            return "\(value >> shift)\(unit)"
        }
        return String(value)
    }
}
