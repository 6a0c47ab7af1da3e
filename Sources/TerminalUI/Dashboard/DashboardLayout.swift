/// The dashboard's panels, in Tab order.
public enum DashboardPanel: Int, CaseIterable, Hashable, Sendable {
    case files, shared, blobs, inodeMap, hitRates

    /// The next panel in Tab order (`forward: false` for Shift-Tab).
    public func next(forward: Bool = true) -> DashboardPanel {
        let all = DashboardPanel.allCases
        return all[(rawValue + (forward ? 1 : all.count - 1)) % all.count]
    }
}

/// Where everything goes on a screen of a given size:
///
///     header (3 lines)
///     ┌ Files ──────────────────┐┌ Inode map ──────────┐
///     ├ Shared ─────────────────┤├ Hit rates ──────────┤
///     └ Blobs ──────────────────┘└─────────────────────┘
///     status line
///
/// The left column takes about 58% of the width. Within a column the focused
/// panel gets half as much again of the height. When the body is shorter than
/// `accordionBelow` rows (an 80×24 terminal), the left column becomes an
/// accordion: the focused panel takes the height and the others show only
/// their selected row.
public struct DashboardLayout: Hashable, Sendable {
    public var header: Rect
    /// Everything between the header and the status line (the all-policies
    /// view uses all of it).
    public var body: Rect
    public var status: Rect
    public var panels: [DashboardPanel: Rect]

    /// Body heights below this use the accordion layout.
    public static let accordionBelow = 30

    public init(size: Size, focus: DashboardPanel) {
        let screen = Rect(size: size)
        let parts = Layout.rows(screen, [.fixed(HeaderView.height), .weight(1), .fixed(1)])
        header = parts[0]
        body = parts[1]
        status = parts[2]
        let leftWidth = max(46, body.width * 58 / 100)
        let columns = Layout.columns(body, [.fixed(leftWidth), .weight(1)])
        let leftPanels: [DashboardPanel] = [.files, .shared, .blobs]
        let left: [Layout.Extent]
        if body.height < DashboardLayout.accordionBelow {
            // Short screens: the focused panel of the left column (Files when
            // the focus is on the right) takes the height; the others keep
            // their frame, column header and selected row.
            let open = leftPanels.contains(focus) ? focus : .files
            left = leftPanels.map { $0 == open ? .weight(1) : .fixed(4) }
        } else {
            let weights = [5, 3, 2]
            left = zip(leftPanels, weights).map { .weight($0 == focus ? $1 * 3 : $1 * 2) }
        }
        let rightPanels: [DashboardPanel] = [.inodeMap, .hitRates]
        let right: [Layout.Extent] = zip(rightPanels, [3, 2]).map { .weight($0 == focus ? $1 * 3 : $1 * 2) }
        var panels: [DashboardPanel: Rect] = [:]
        for (panel, rect) in zip(leftPanels, Layout.rows(columns[0], left)) { panels[panel] = rect }
        for (panel, rect) in zip(rightPanels, Layout.rows(columns[1], right)) { panels[panel] = rect }
        self.panels = panels
    }

    public func rect(_ panel: DashboardPanel) -> Rect {
        panels[panel] ?? Rect(row: 0, col: 0, height: 0, width: 0)
    }

    /// Table rows visible in a panel: its height minus the frame and the
    /// column header.
    public func visibleRows(_ panel: DashboardPanel) -> Int {
        max(0, rect(panel).height - 3)
    }

    /// The panel under a screen position, if any.
    public func panel(atRow row: Int, col: Int) -> DashboardPanel? {
        DashboardPanel.allCases.first { rect($0).contains(row: row, col: col) }
    }
}
