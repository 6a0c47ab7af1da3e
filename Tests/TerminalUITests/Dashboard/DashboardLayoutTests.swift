import XCTest
@testable import TerminalUI

/// Panels sized by their content, and `z` to zoom the focused one.
final class DashboardLayoutTests: XCTestCase {
    let left: [DashboardPanel] = [.files, .shared, .blobs]

    func testColumnsTileTheBodyAtEverySize() {
        for (rows, cols) in [(24, 80), (40, 120), (55, 200), (60, 200)] {
            for timeline in [false, true] {
                for focus in DashboardPanel.allCases {
                    let l = DashboardLayout(size: Size(rows: rows, cols: cols), focus: focus, showsTimeline: timeline,
                                            rowCounts: [.files: 40, .shared: 3, .blobs: 6, .hitRates: 3])
                    XCTAssertEqual(left.map { l.rect($0).height }.reduce(0, +), l.body.height, "\(rows)x\(cols) \(focus)")
                    XCTAssertEqual(l.rect(.inodeMap).height + l.rect(.hitRates).height, l.body.height)
                    XCTAssertEqual(l.timeline.height, timeline ? 1 : 0)
                    XCTAssertEqual(l.body.row, 3 + (timeline ? 1 : 0))
                }
            }
        }
    }

    func testShortScreensKeepSharedAndBlobsReadable() {
        // 80x24 with a timeline and long tables everywhere: each shows at least three rows.
        let l = DashboardLayout(size: Size(rows: 24, cols: 80), focus: .files, showsTimeline: true,
                                rowCounts: [.files: 1000, .shared: 1000, .blobs: 1000])
        for panel in left { XCTAssertGreaterThanOrEqual(l.visibleRows(panel), DashboardLayout.evenRows, "\(panel)") }
        XCTAssertGreaterThanOrEqual(l.visibleRows(.files), l.visibleRows(.shared), "the focus gets what is left")
    }

    func testRowsGoToWhatHasContent() {
        // The demo at 200x55: three images, hundreds of shared rows, six devices.
        let l = DashboardLayout(size: Size(rows: 55, cols: 200), focus: .files, showsTimeline: true,
                                rowCounts: [.files: 3, .shared: 400, .blobs: 6, .hitRates: 3])
        XCTAssertEqual(l.visibleRows(.files), 3, "no empty space under three images")
        XCTAssertEqual(l.visibleRows(.blobs), 6, "every device shown")
        XCTAssertEqual(l.visibleRows(.shared), l.body.height - 6 - 9 - DashboardLayout.tableChrome,
                       "the long table takes the rest")
        XCTAssertEqual(l.visibleRows(.hitRates), 3)
        // Focus moves a long table's rows, not the short ones'.
        let focused = DashboardLayout(size: Size(rows: 55, cols: 200), focus: .blobs, showsTimeline: true,
                                      rowCounts: [.files: 300, .shared: 400, .blobs: 6])
        XCTAssertEqual(focused.visibleRows(.blobs), 6)
        XCTAssertGreaterThan(focused.visibleRows(.files), 10)
        XCTAssertGreaterThan(focused.visibleRows(.shared), 10)
    }

    func testTheFocusedLongTableGetsMoreThanTheOthers() {
        let counts: [DashboardPanel: Int] = [.files: 500, .shared: 500, .blobs: 500]
        let l = DashboardLayout(size: Size(rows: 60, cols: 200), focus: .shared, rowCounts: counts)
        XCTAssertGreaterThan(l.rect(.shared).height, l.rect(.files).height)
        XCTAssertGreaterThan(l.rect(.shared).height, l.rect(.blobs).height)
    }

    func testDashboardAt80x24ShowsSeveralRowsOfSharedAndBlobs() {
        let h = DashboardHarness(rows: 24, cols: 80)
        XCTAssertEqual(h.screen.layout.visibleRows(.files), 3, "the three images")
        XCTAssertGreaterThanOrEqual(h.screen.layout.visibleRows(.shared), 3)
        XCTAssertGreaterThanOrEqual(h.screen.layout.visibleRows(.blobs), 3)
        let lines = h.text.components(separatedBy: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("│file ") || $0.hasPrefix("│chunk ") }.count, 4, h.text)
        XCTAssertEqual(lines.filter { $0.hasPrefix("│  0 ") || $0.hasPrefix("│  1 ") }.count, 4, h.text)
    }

    func testDashboardAt200x60ShowsEveryRowOfTheShortTables() {
        let h = DashboardHarness(rows: 60, cols: 200)
        XCTAssertGreaterThanOrEqual(h.screen.layout.visibleRows(.shared), 5)
        XCTAssertGreaterThanOrEqual(h.screen.layout.visibleRows(.blobs), 6)
        for tag in ["sha256:3f2a9c0d1e", "sha256:9b41e7aa02", "sha256:c07d55f310"] { XCTAssertTrue(h.text.contains(tag), tag) }
        // Opening a directory with more rows resizes the panels.
        h.press(.enter)
        XCTAssertEqual(h.screen.layout.visibleRows(.files), h.screen.layout.body.height - 8 - 9 - 3)
    }

    func testZoomGivesTheFocusedPanelTheBodyAndFollowsTab() {
        let h = DashboardHarness(rows: 24, cols: 80)
        h.press(.tab, .char("z"))
        XCTAssertTrue(h.screen.zoomed)
        XCTAssertEqual(h.screen.layout.rect(.shared), h.screen.layout.body)
        XCTAssertEqual(h.screen.layout.rect(.files).height, 0)
        XCTAssertFalse(h.text.contains("Files:"), "other panels hidden")
        XCTAssertTrue(h.text.contains("zoomed: Shared"))
        XCTAssertEqual(h.screen.layout.visibleRows(.shared), 24 - 3 - 1 - 3)
        h.press(.tab)
        XCTAssertEqual(h.screen.layout.rect(.blobs), h.screen.layout.body, "zoom follows the focus")
        XCTAssertTrue(h.text.contains("Blobs: 6 devices"))
        h.press(.char("z"))
        XCTAssertFalse(h.screen.zoomed)
        XCTAssertTrue(h.text.contains("Files:") && h.text.contains("Blobs:"))
    }

    func testZoomedClicksSelectInTheZoomedPanel() {
        let h = DashboardHarness(rows: 24, cols: 80)
        h.press(.tab, .tab, .char("z"))
        let body = h.screen.layout.body
        h.press(.mouse(MouseEvent(row: body.row + 2 + 4, col: 10)))
        XCTAssertEqual(h.screen.blobs.table.selected, 4)
    }
}

/// The help overlay names every key the dashboard and its sources take.
final class DashboardHelpTests: XCTestCase {
    func testHelpListsEveryKeyAndFitsTheMinimumSize() {
        let keys = DashboardHelp.entries.map(\.keys).joined(separator: " ")
        for key in ["[ ]", "{ }", "g", "Home End", "click bar", "o", "z", "w", "p", "a", "r", "c", "/", "n", "Space", "+ -"] {
            XCTAssertTrue(keys.contains(key), key)
        }
        XCTAssertLessThanOrEqual(DashboardHelp.overlay.preferredSize.rows, Dashboard.minimumSize.rows)
        XCTAssertLessThanOrEqual(DashboardHelp.overlay.preferredSize.cols, Dashboard.minimumSize.cols)
        let h = DashboardHarness(rows: 24, cols: 80)
        h.press(.char("?"))
        XCTAssertTrue(h.text.contains("erofs-top keys") && h.text.contains("quit") && h.text.contains("live view"), h.text)
    }
}

/// The Inode map's per-design detail: one strip per container and the files
/// sharing the selected extent.
final class InodeMapDetailTests: XCTestCase {
    func open(_ source: FakeDashboardSource) -> DashboardHarness {
        let h = DashboardHarness(source: source)
        h.press(.enter, .enter, .enter, .down, .enter)  // v2: libpython3.11.so.1.0 (shared, 40% cached)
        XCTAssertEqual(h.screen.focus, .inodeMap)
        return h
    }

    func testStripPerContainerAndSharersOfTheSelectedExtent() {
        let source = FakeDashboardSource()
        source.perDesignDetail = true
        let h = open(source)
        let lines = h.text.components(separatedBy: "\n")
        let path = ":/usr/lib/libpython3.11.so.1.0"
        XCTAssertEqual(h.screen.inodeMap.sharerPages, 0..<256)
        // The largest image (v2) is opened first; its copy is not its own sharer.
        XCTAssertEqual(h.screen.inodeMap.sharers, ["tensorflow-base.erofs" + path, "tensorflow-v1.erofs" + path])
        XCTAssertTrue(h.text.contains("pages 0-255 shared with tensorflow-base.erofs:"), h.text)
        // The legend and one strip per container, each labelled.
        XCTAssertEqual(lines.filter { $0.contains("││1 base ") }.count, 2, h.text)
        XCTAssertEqual(lines.filter { $0.contains("││2 app-v1 ●") }.count, 1, h.text)
        XCTAssertEqual(lines.filter { $0.contains("││3 app-v2 ●") }.count, 1, h.text)
        // Extent 4 (pages 1024-1279) lies beyond the cached 40%: nobody shares it.
        h.press(.down, .down, .down, .down)
        XCTAssertEqual(h.screen.inodeMap.sharerPages, 1024..<1280)
        XCTAssertEqual(h.screen.inodeMap.sharers, [])
        XCTAssertTrue(h.text.contains("pages 1024-1279: not shared with other files"), h.text)
        assertSnapshot(h.text, named: "dashboard-inode-map-detail")
    }

    func testWithoutDetailThePanelIsAsBefore() {
        let h = open(FakeDashboardSource())
        XCTAssertFalse(h.text.contains("shared with"))
        XCTAssertFalse(h.text.contains("not shared"))
    }

    func testPageRangeOfAnExtent() {
        let e = InodeMap.Extent(logicalOffset: 8192, length: 5000, device: 0, deviceTag: "", physicalAddress: 0, kind: .plain)
        XCTAssertEqual(InodeMapPanel.pageRange(of: e, pageCount: 10), 2..<4)
        XCTAssertEqual(InodeMapPanel.pageRange(of: e, pageCount: 3), 2..<3, "clamped to the pages there are")
    }
}
