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
