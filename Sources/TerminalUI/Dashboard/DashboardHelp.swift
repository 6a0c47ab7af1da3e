/// The dashboard's key bindings as the help overlay and the status line show
/// them.
enum DashboardHelp {
    /// At most 20 entries, so the overlay fits an 80×24 terminal.
    static let entries: [(keys: String, description: String)] = [
        ("Up/Down j/k", "move the selection"),
        ("PgUp/PgDn Home/End G", "move by a page / to the ends"),
        ("Tab Shift-Tab", "next / previous panel (or click one)"),
        ("z", "zoom the focused panel / show all panels"),
        ("Enter", "open image or directory; in Shared: jump to sharer"),
        ("Backspace Left h", "up one directory"),
        ("Left/Right h/l", "in Shared: choose the sharer to jump to"),
        ("/  n", "search in the panel / next match"),
        ("< > s", "sort by previous / next column, reverse"),
        ("p  a", "next sharing policy / all-policies comparison"),
        ("Space  .  + -", "pause or resume / step one event / faster, slower"),
        ("[ ]  { }", "replay: seek back / on by 1% / 10%"),
        ("g", "replay: go to a time (12.5), #event or %"),
        ("Home End, click bar", "replay: start / end (when no rows to move), seek"),
        ("o", "what-if settings: readahead, cache, domains, mmap"),
        ("r", "read the selected file (as cat would)"),
        ("c", "drop the page cache"),
        ("w", "live view: start / stop writing the events"),
        ("? F1", "this help"),
        ("q F10", "quit"),
    ]

    static let overlay = HelpOverlay(title: "erofs-top keys", entries: entries)

    static let statusItems: [StatusBar.Item] = [
        .init("F1", "Help"), .init("Tab", "Panel"), .init("p", "Policy"), .init("a", "All"),
        .init("Spc", "Pause"), .init("r", "Read"), .init("c", "Drop"), .init("F10", "Quit"),
    ]
}
