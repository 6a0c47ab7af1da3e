/// The dashboard's panels, in Tab order.
public enum DashboardPanel: Int, CaseIterable, Hashable, Sendable {
    case files, shared, blobs, inodeMap, hitRates

    /// The name in the panel's frame.
    public var title: String {
        switch self {
        case .files: return "Files"
        case .shared: return "Shared"
        case .blobs: return "Blobs"
        case .inodeMap: return "Inode map"
        case .hitRates: return "Hit rates"
        }
    }

    /// The next panel in Tab order (`forward: false` for Shift-Tab).
    public func next(forward: Bool = true) -> DashboardPanel {
        let all = DashboardPanel.allCases
        return all[(rawValue + (forward ? 1 : all.count - 1)) % all.count]
    }
}

/// Where everything goes on a screen of a given size:
///
///     header (3 lines)
///     timeline (1 line, when the source has one)
///     ┌ Files ──────────────────┐┌ Inode map ──────────┐
///     ├ Shared ─────────────────┤├ Hit rates ──────────┤
///     └ Blobs ──────────────────┘└─────────────────────┘
///     status line
///
/// The left column takes about 58% of the width. Within a column, heights
/// follow content (`rowCounts`): every panel first gets its frame, column
/// header and one row; then rows are handed out one at a time, evenly until
/// each panel shows `evenRows` (so all stay readable on 80×24), then two to the
/// focused panel for each one to the others, never more than a panel has;
/// what nobody needs goes to the focused panel (Files, or the Inode map, when
/// the focus is in the other column). A panel whose row count is not given
/// counts as long. With `zoomed`, the focused panel takes the whole body (as
/// htop's and ncdu's full-screen views) and the others are hidden.
public struct DashboardLayout: Hashable, Sendable {
    public var header: Rect
    /// The timeline bar (height 0 when hidden).
    public var timeline: Rect
    /// Everything between the header (and timeline) and the status line (the
    /// all-policies view uses all of it).
    public var body: Rect
    public var status: Rect
    public var panels: [DashboardPanel: Rect]

    /// Lines a table panel needs around its rows: frame top and bottom and
    /// the column header.
    public static let tableChrome = 3
    /// Rows every panel gets before the focused one is preferred.
    public static let evenRows = 3

    public init(size: Size, focus: DashboardPanel, showsTimeline: Bool = false,
                rowCounts: [DashboardPanel: Int] = [:], zoomed: Bool = false) {
        let screen = Rect(size: size)
        let parts = Layout.rows(screen, [.fixed(HeaderView.height), .fixed(showsTimeline ? 1 : 0), .weight(1), .fixed(1)])
        header = parts[0]
        timeline = parts[1]
        body = parts[2]
        status = parts[3]
        guard !zoomed else {
            panels = [focus: body]
            return
        }
        let leftWidth = max(46, body.width * 58 / 100)
        let columns = Layout.columns(body, [.fixed(leftWidth), .weight(1)])
        var panels: [DashboardPanel: Rect] = [:]
        for (column, members, spare) in [(columns[0], [DashboardPanel.files, .shared, .blobs], DashboardPanel.files),
                                         (columns[1], [.inodeMap, .hitRates], .inodeMap)] {
            let heights = DashboardLayout.heights(total: column.height, panels: members, focus: focus,
                                                  spare: members.contains(focus) ? focus : spare, rowCounts: rowCounts)
            let rects = Layout.rows(column, heights.map { .fixed($0) })
            for (panel, rect) in zip(members, rects) { panels[panel] = rect }
        }
        self.panels = panels
    }

    /// Heights of the panels of one column that sum to `total` (see the type's
    /// comment for the rules).
    static func heights(total: Int, panels: [DashboardPanel], focus: DashboardPanel, spare: DashboardPanel,
                        rowCounts: [DashboardPanel: Int]) -> [Int] {
        let chrome = tableChrome
        let wanted = panels.map { chrome + max(1, rowCounts[$0] ?? total) }
        var heights = wanted.map { min($0, chrome + 1) }
        guard heights.reduce(0, +) <= total else {
            // Too short for every frame: share in proportion (the panels clip).
            return Layout.split(total: total, panels.map { _ in .weight(1) })
        }
        var left = total - heights.reduce(0, +)
        for (cap, bonus) in [(chrome + evenRows, 1), (Int.max, 2)] {
            var grew = true
            while left > 0 && grew {
                grew = false
                for (i, panel) in panels.enumerated() {
                    for _ in 0..<(panel == focus ? bonus : 1) where left > 0 && heights[i] < min(cap, wanted[i]) {
                        heights[i] += 1
                        left -= 1
                        grew = true
                    }
                }
            }
        }
        if left > 0, let i = panels.firstIndex(of: spare) { heights[i] += left }
        return heights
    }

    public func rect(_ panel: DashboardPanel) -> Rect {
        panels[panel] ?? Rect(row: 0, col: 0, height: 0, width: 0)
    }

    /// Table rows visible in a panel: its height minus the frame and the
    /// column header.
    public func visibleRows(_ panel: DashboardPanel) -> Int {
        max(0, rect(panel).height - DashboardLayout.tableChrome)
    }

    /// The panel under a screen position, if any.
    public func panel(atRow row: Int, col: Int) -> DashboardPanel? {
        DashboardPanel.allCases.first { rect($0).contains(row: row, col: col) }
    }
}
