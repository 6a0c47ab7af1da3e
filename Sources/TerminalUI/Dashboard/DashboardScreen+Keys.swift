/// Key and mouse handling: overlays first (help, knobs, search, go-to), then
/// the global keys (htop/ncdu habits), then the focused panel's own keys.
extension DashboardScreen {
    public mutating func handle(key: Key) throws -> Action {
        if showsHelp {
            showsHelp = false
            return .handled
        }
        if knobsEditor != nil { return try handleKnobs(key) }
        if search != nil { return handleSearch(key) }
        if goTo != nil { return try handleGoTo(key) }
        // A message lasts until the next key (actions set a new one).
        let hadMessage = !message.isEmpty
        if case .mouse = key {} else { message = "" }
        if let action = try handleGlobal(key) {
            if action == .handled { refresh() }
            return action
        }
        guard !showsAllPolicies else { return hadMessage ? .handled : .ignored }
        let handled = handlePanel(key)
        if handled { refresh() }
        return handled || (hadMessage && message.isEmpty) ? .handled : .ignored
    }

    private mutating func handleGlobal(_ key: Key) throws -> Action? {
        switch key {
        case .char("q"), .f10:
            return .quit
        case .char("?"), .f1:
            showsHelp = true
        case .char("z") where !showsAllPolicies:
            zoomed.toggle()
            message = zoomed ? "zoomed: \(focus.title) (z: all panels)" : ""
        case .char("o"):
            openKnobs()
        case .char("[") where timeline != nil, .char("]") where timeline != nil,
             .char("{") where timeline != nil, .char("}") where timeline != nil:
            guard case .char(let c) = key else { return nil }
            let step: [Character: Double] = ["[": -0.01, "]": 0.01, "{": -0.1, "}": 0.1]
            try seek(.relative(fraction: step[c] ?? 0))
        case .char("g") where timeline != nil:
            goTo = TextInputState()
        case .home where timeline != nil && (showsAllPolicies || rowCount(of: focus) == 0):
            try seek(.event(0))
        case .end where timeline != nil && (showsAllPolicies || rowCount(of: focus) == 0):
            try seek(.event(timeline?.eventsTotal ?? 0))
        case .tab, .backTab:
            focus = focus.next(forward: key == .tab)
            showsAllPolicies = false
        case .char("a"):
            showsAllPolicies.toggle()
        case .escape:
            guard showsAllPolicies else { return .ignored }
            showsAllPolicies = false
        case .char("p"):
            guard let next = header.nextPolicy else { return .ignored }
            message = try source.perform(.setPolicy(next)) ?? "policy: \(next)"
        case .char(" "):
            message = try source.perform(.togglePause) ?? (header.replay.paused ? "replay resumed" : "replay paused")
        case .char("."):
            message = try source.perform(.step) ?? "stepped one event"
        case .char("+"), .char("="):
            message = try source.perform(.faster) ?? ""
        case .char("-"):
            message = try source.perform(.slower) ?? ""
        case .char("c"):
            message = try source.perform(.dropCaches) ?? "page cache dropped"
        case .char("r"):
            guard let target = readTarget else {
                message = "select a file to read"
                return .handled
            }
            message = try source.perform(.read(image: target.image, file: target.file)) ?? "read"
        case .char("/"):
            guard let start = selection(of: focus) else { return .ignored }
            search = TextInputState()
            searchOrigin = start
        case .char("n"):
            guard let start = selection(of: focus), !lastSearch.isEmpty else { return .ignored }
            if let i = find(lastSearch, in: focus, from: start + 1) { select(i, in: focus) } else {
                message = "not found: \(lastSearch)"
            }
        case .mouse(let event):
            return try handleMouse(event) ? .handled : .ignored
        case .char(let c):
            guard let text = try source.perform(key: c) else { return nil }
            message = text
        default:
            return nil
        }
        return .handled
    }

    /// The file `r` reads: the Shared panel's jump target when it has the
    /// focus, else the file shown in the Inode map.
    private var readTarget: (image: Int, file: EntryID)? {
        if focus == .shared, let s = shared.jumpTarget { return (s.image, s.file) }
        return inspected.map { ($0.image, $0.file) }
    }

    private mutating func handlePanel(_ key: Key) -> Bool {
        switch focus {
        case .files:
            switch files.handle(key: key, visibleRows: layout.visibleRows(.files)) {
            case .handled: return true
            case .ignored: return false
            case .openedFile:
                focus = .inodeMap
                return true
            }
        case .shared:
            if key == .enter { return jumpToSharer() }
            return shared.handle(key: key, visibleRows: layout.visibleRows(.shared))
        case .blobs:
            return blobs.handle(key: key, visibleRows: layout.visibleRows(.blobs))
        case .inodeMap:
            return inodeMap.handle(key: key, innerHeight: max(0, layout.rect(.inodeMap).height - 2))
        case .hitRates:
            return hitRates.handle(key: key, visibleRows: layout.visibleRows(.hitRates))
        }
    }

    /// Enter in Shared: open the sharer's folder in Files and select it.
    mutating func jumpToSharer() -> Bool {
        guard let target = shared.jumpTarget else { return false }
        if files.reveal(image: target.image, file: target.file, source: source, header: header) {
            focus = .files
            message = "jumped to \(target.path)"
        } else {
            message = "cannot find \(target.path)"
        }
        return true
    }

    // MARK: search

    private mutating func handleSearch(_ key: Key) -> Action {
        guard var input = search else { return .ignored }
        let event = input.handle(key)
        search = input
        switch event {
        case .changed:
            if let i = find(input.text, in: focus, from: searchOrigin) { select(i, in: focus) }
        case .submitted(let text):
            search = nil
            lastSearch = text
            if !text.isEmpty, find(text, in: focus, from: searchOrigin) == nil { message = "not found: \(text)" }
        case .cancelled:
            search = nil
            select(searchOrigin, in: focus)
        case .moved:
            break
        case .ignored:
            return .ignored
        }
        refresh()
        return .handled
    }

    func selection(of panel: DashboardPanel) -> Int? {
        switch panel {
        case .files: return files.table.selected
        case .shared: return shared.table.selected
        case .blobs: return blobs.table.selected
        case .inodeMap, .hitRates: return nil
        }
    }

    private func find(_ text: String, in panel: DashboardPanel, from start: Int) -> Int? {
        switch panel {
        case .files: return files.search(text, startingAt: max(0, start))
        case .shared: return shared.search(text, startingAt: max(0, start))
        case .blobs: return blobs.search(text, startingAt: max(0, start))
        case .inodeMap, .hitRates: return nil
        }
    }

    /// Rows the panel's table has (Home/End move in it when there are any).
    func rowCount(of panel: DashboardPanel) -> Int {
        switch panel {
        case .files: return files.rows.count
        case .shared: return shared.rowCount
        case .blobs: return blobs.rows.count
        case .inodeMap: return inodeMap.map?.extents.count ?? 0
        case .hitRates: return hitRates.lines.count
        }
    }

    mutating func select(_ index: Int, in panel: DashboardPanel) {
        let visible = layout.visibleRows(panel)
        switch panel {
        case .files: files.select(index: index, visibleRows: visible)
        case .shared: shared.select(index: index, visibleRows: visible)
        case .blobs: blobs.select(index: index, visibleRows: visible)
        case .inodeMap: inodeMap.table.select(index, rowCount: inodeMap.map?.extents.count ?? 0, visibleRows: visible)
        case .hitRates: hitRates.table.select(index, rowCount: hitRates.lines.count, visibleRows: visible)
        }
    }

    // MARK: mouse

    /// A click focuses the panel under it and selects the table row clicked
    /// (as laid out when clicked); the wheel moves the selection of the panel
    /// under the pointer.
    private mutating func handleMouse(_ event: MouseEvent) throws -> Bool {
        if event.kind == .click, let timeline, layout.timeline.contains(row: event.row, col: event.col) {
            guard let target = TimelineBar.target(atCol: event.col - layout.timeline.col, width: layout.timeline.width,
                                                  timeline: timeline) else { return false }
            try seek(target)
            return true
        }
        guard !showsAllPolicies, let panel = layout.panel(atRow: event.row, col: event.col) else { return false }
        let rect = layout.rect(panel)
        switch event.kind {
        case .click:
            // First data row: below the frame and the column header (the
            // Inode map has a summary line above its table).
            let firstRow = rect.row + 2
            let line = event.row - firstRow
            if panel != .inodeMap, line >= 0, line < layout.visibleRows(panel) {
                select(offsetOf(panel) + line, in: panel)
            }
            focus = panel
        case .wheelUp, .wheelDown:
            let previous = focus
            focus = panel
            _ = handlePanel(event.kind == .wheelUp ? .up : .down)
            focus = previous
        }
        return true
    }

    private func offsetOf(_ panel: DashboardPanel) -> Int {
        let visible = layout.visibleRows(panel)
        func offset(_ t: TableState, _ count: Int) -> Int {
            TableState.offset(current: t.offset, selected: t.selected, rowCount: count, visibleRows: visible)
        }
        switch panel {
        case .files: return offset(files.table, files.rows.count)
        case .shared: return offset(shared.table, shared.rowCount)
        case .blobs: return offset(blobs.table, blobs.rows.count)
        case .hitRates: return offset(hitRates.table, hitRates.lines.count)
        case .inodeMap: return 0
        }
    }
}
