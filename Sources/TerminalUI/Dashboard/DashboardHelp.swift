/// The dashboard's key bindings as the help overlay and the status line show
/// them.
enum DashboardHelp {
    static let entries: [(keys: String, description: String)] = [
        ("Up/Down j/k", "move the selection"),
        ("PgUp/PgDn Home/End", "move by a page / to the ends"),
        ("Tab Shift-Tab", "next / previous panel (or click one)"),
        ("Enter", "open image or directory; in Shared: jump to sharer"),
        ("Backspace Left h", "up one directory"),
        ("Left/Right h/l", "in Shared: choose the sharer to jump to"),
        ("/  n", "search in the panel / next match"),
        ("< > s", "sort by previous / next column, reverse"),
        ("p", "next sharing policy"),
        ("a", "all-policies comparison"),
        ("Space  .", "pause or resume the replay / step one event"),
        ("+ -", "replay faster / slower"),
        ("r", "read the selected file (as cat would)"),
        ("c", "drop the page cache"),
        ("? F1", "this help"),
        ("q F10", "quit"),
    ]

    static let overlay = HelpOverlay(title: "erofs-top keys", entries: entries)

    static let statusItems: [StatusBar.Item] = [
        .init("F1", "Help"), .init("Tab", "Panel"), .init("p", "Policy"), .init("a", "All"),
        .init("Spc", "Pause"), .init("r", "Read"), .init("c", "Drop"), .init("F10", "Quit"),
    ]
}
