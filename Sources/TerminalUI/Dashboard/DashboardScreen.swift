/// The dashboard: header, timeline bar (replays only), five live panels and a
/// status line over a `DashboardDataSource`, as an `AppScreen` for the app loop.
///
/// Data is fetched in `refresh()` (after a key changed something, or when the
/// source's generation moved on a tick) and kept in the panels, so `draw`
/// only formats what is visible. A tick that leaves the generation unchanged
/// draws nothing.
///
///     let screen = DashboardScreen(source: session)
///     let app = App(terminal: term, screen: screen)
///     try app.run()
public struct DashboardScreen: AppScreen {
    public let source: any DashboardDataSource
    /// The panel receiving keys.
    public internal(set) var focus: DashboardPanel = .files {
        didSet { if focus != oldValue { updateLayout() } }
    }
    /// `z`: the focused panel takes the whole body (it follows Tab).
    public internal(set) var zoomed = false {
        didSet { if zoomed != oldValue { updateLayout() } }
    }
    /// The all-policies view (`a`) covers the panels.
    public internal(set) var showsAllPolicies = false
    public internal(set) var showsHelp = false
    /// The last action's result or a hint, shown in the status line.
    public internal(set) var message = ""
    public private(set) var layout: DashboardLayout
    /// The header as of the last refresh.
    public private(set) var header: DashboardHeader
    /// The source's generation as of the last refresh.
    public private(set) var generation: UInt64
    /// Refreshes so far (each fetches whatever changed).
    public private(set) var refreshCount = 0
    /// The replay's time axis as of the last refresh (nil: no timeline bar).
    public private(set) var timeline: TimelineInfo?
    /// The model settings in force as of the last refresh (nil: no knobs).
    public private(set) var knobs: ModelKnobs?

    var size: Size
    var files = FilesPanel()
    var shared = SharedPanel()
    var blobs = BlobsPanel()
    var inodeMap = InodeMapPanel()
    var hitRates = HitRatesPanel()
    var comparison = PolicyComparison()
    var allPoliciesHitRates = HitRates()
    /// The file the Inode map shows.
    var inspected: InodeMapPanel.Subject?
    /// The `/` search line while it is open, and the selection it started from.
    var search: TextInputState?
    var searchOrigin = 0
    var lastSearch = ""
    /// The `g` (go to a time or event) line while it is open.
    var goTo: TextInputState?
    /// The `o` knobs panel while it is open.
    var knobsEditor: KnobsEditor?

    public init(source: any DashboardDataSource, size: Size = Size(rows: 24, cols: 80)) {
        self.source = source
        self.size = size
        layout = DashboardLayout(size: size, focus: .files)
        header = source.header
        generation = source.generation
        timeline = source.timeline
        refresh()
    }

    // MARK: queries (for tests and the CLI)

    /// The Files panel's location, e.g. "base.erofs:/usr/lib" or "Images".
    public var filesLocation: String { files.location(header) }
    /// The selected row of the Files panel.
    public var selectedFileRow: FileRow? { files.selectedRow }
    /// The selected row of the Shared panel.
    public var selectedSharedRow: SharedRow? { shared.selectedRow }
    /// The file the Inode map shows.
    public var inspectedFile: (image: Int, file: EntryID)? { inspected.map { ($0.image, $0.file) } }

    // MARK: AppScreen

    public mutating func resize(to newSize: Size) {
        size = newSize
        updateLayout()
        refresh()
    }

    public mutating func tick(now: Double) throws -> Bool {
        try source.tick(now: now)
        guard source.generation != generation else { return false }
        refresh()
        return true
    }

    /// Fetches what is visible from the source. Cheap when nothing changed:
    /// each panel fetches again only for a new generation, location or sort.
    public mutating func refresh() {
        refreshCount += 1
        generation = source.generation
        header = source.header
        timeline = source.timeline
        knobs = source.knobs
        if showsAllPolicies {
            updateLayout()
            comparison = source.policyComparison
            allPoliciesHitRates = source.hitRates
            return
        }
        files.refresh(source: source, header: header, generation: generation, visibleRows: layout.visibleRows(.files))
        shared.refresh(source: source, generation: generation, visibleRows: layout.visibleRows(.shared))
        blobs.refresh(source: source, generation: generation, visibleRows: layout.visibleRows(.blobs))
        switch focus {
        case .files:
            inspected = files.selectedFile.map { InodeMapPanel.Subject(image: $0.image, file: $0.file) }
        case .shared:
            inspected = shared.jumpTarget.map { InodeMapPanel.Subject(image: $0.image, file: $0.file) }
        default:
            break
        }
        inodeMap.refresh(subject: inspected, source: source, generation: generation)
        hitRates.refresh(source: source, header: header, generation: generation,
                         visibleRows: layout.visibleRows(.hitRates))
        // Heights follow the row counts just fetched; keep each selection in view.
        let before = layout
        updateLayout()
        if layout != before {
            for panel in [DashboardPanel.files, .shared, .blobs, .hitRates] {
                if let i = selection(of: panel) { select(i, in: panel) }
            }
        }
    }

    /// Lays the screen out for the current size, focus, zoom, timeline and row counts.
    mutating func updateLayout() {
        let counts: [DashboardPanel: Int] = [.files: files.rows.count, .shared: shared.rowCount,
                                             .blobs: blobs.rows.count, .hitRates: hitRates.lines.count]
        layout = DashboardLayout(size: size, focus: focus, showsTimeline: timeline != nil,
                                 rowCounts: counts, zoomed: zoomed && !showsAllPolicies)
    }

    public func draw(into canvas: Canvas) {
        HeaderView(header: header, knobs: knobs).draw(in: canvas.sub(layout.header))
        if let timeline {
            TimelineBar(timeline: timeline, containers: header.containers.map(\.name)).draw(in: canvas.sub(layout.timeline))
        }
        if showsAllPolicies {
            AllPoliciesView(comparison: comparison, header: header, hitRates: allPoliciesHitRates).draw(in: canvas.sub(layout.body))
        } else {
            for panel in DashboardPanel.allCases where layout.rect(panel).height > 0 {
                draw(panel, in: canvas.sub(layout.rect(panel)))
            }
        }
        let status = canvas.sub(layout.status)
        if let search {
            TextInput(prompt: "/", state: search).draw(in: status)
        } else if let goTo {
            TextInput(prompt: DashboardScreen.goToPrompt, state: goTo).draw(in: status)
        } else {
            StatusBar(DashboardHelp.statusItems, message: message).draw(in: status)
        }
        if let knobsEditor {
            knobsEditor.draw(in: canvas)
        }
        if showsHelp {
            DashboardHelp.overlay.draw(in: canvas)
        }
    }

    private func draw(_ panel: DashboardPanel, in canvas: Canvas) {
        let focused = focus == panel
        switch panel {
        case .files: files.draw(in: canvas, header: header, focused: focused)
        case .shared: shared.draw(in: canvas, header: header, focused: focused)
        case .blobs: blobs.draw(in: canvas, header: header, focused: focused)
        case .inodeMap: inodeMap.draw(in: canvas, header: header, focused: focused)
        case .hitRates: hitRates.draw(in: canvas, header: header, focused: focused)
        }
    }
}
