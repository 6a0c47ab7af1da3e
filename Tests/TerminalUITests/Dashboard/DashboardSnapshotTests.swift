import XCTest
@testable import TerminalUI

/// Golden screens of every panel and view, drawn from the fake source.
/// Re-record with EROFS_TOP_RECORD_SNAPSHOTS=1 and review the diff.
final class DashboardSnapshotTests: XCTestCase {
    func testOverviewListsImages() {
        let h = DashboardHarness()
        assertSnapshot(h.text, named: "dashboard-overview-120x40")
    }

    func testFilesInsideADirectory() {
        let h = DashboardHarness()
        h.press(.end, .enter, .enter, .enter)  // images by size: base is last; usr, lib
        XCTAssertEqual(h.screen.filesLocation, "tensorflow-base.erofs:/usr/lib")
        assertSnapshot(h.text, named: "dashboard-files-usr-lib")
    }

    func testSharedPanelFocused() {
        let h = DashboardHarness()
        h.press(.tab, .down, .right)
        assertSnapshot(h.text, named: "dashboard-shared")
    }

    func testBlobsPanelFocused() {
        let h = DashboardHarness()
        h.press(.tab, .tab, .char(">"), .char(">"))  // sort by size
        assertSnapshot(h.text, named: "dashboard-blobs")
    }

    /// A blob cached through two mounts (live) says its bytes add up two page caches; the
    /// others show their bytes alone.
    func testBlobCachedInTwoCachesSaysSo() {
        let source = FakeDashboardSource()
        let m = FakeDashboardSource.MiB
        var twice = BlobRow(device: 1, tag: "sha256:3f2a9c0d1e", images: [0, 1], sizeBytes: 19 * m, cachedBytes: 36 * m, containers: 2)
        twice.separateCaches = 2
        source.blobRows = [BlobRow(device: 0, tag: "tensorflow-base.erofs", images: [0], sizeBytes: 2 * m, cachedBytes: m, containers: 1), twice]
        let h = DashboardHarness(source: source)
        h.press(.tab, .tab)
        let lines = h.text.split(separator: "\n")
        let blobLine = lines.first { $0.contains("sha256:3f2a9c0d") }
        XCTAssertNotNil(blobLine, h.text)
        XCTAssertTrue(blobLine?.contains("36.0 MiB in 2") ?? false, String(blobLine ?? ""))
        let baseLine = lines.first { $0.contains("  0 tensorflow-base") && $0.contains("1.0 MiB") }
        XCTAssertNotNil(baseLine)
        XCTAssertFalse(baseLine?.contains(" in ") ?? true, String(baseLine ?? ""))
    }

    func testInodeMapOfSelectedFile() {
        let h = DashboardHarness()
        h.press(.enter, .enter, .enter, .down, .enter)  // libpython3.11.so.1.0 → Inode map
        XCTAssertEqual(h.screen.focus, .inodeMap)
        assertSnapshot(h.text, named: "dashboard-inode-map")
    }

    func testHitRatesFocused() {
        let h = DashboardHarness()
        h.press(.backTab)
        XCTAssertEqual(h.screen.focus, .hitRates)
        assertSnapshot(h.text, named: "dashboard-hit-rates")
    }

    func testAllPoliciesView() {
        let h = DashboardHarness()
        h.press(.char("a"))
        assertSnapshot(h.text, named: "dashboard-all-policies")
    }

    func testHelpOverlay() {
        let h = DashboardHarness()
        h.press(.char("?"))
        assertSnapshot(h.text, named: "dashboard-help")
    }

    func testMinimumSizeASCIIMonochrome() {
        let h = DashboardHarness(rows: 24, cols: 80, glyphs: .ascii, colorMode: .monochrome)
        h.press(.enter)
        assertSnapshot(h.text, named: "dashboard-80x24-ascii")
        XCTAssertTrue(h.text.unicodeScalars.allSatisfy(\.isASCII))
        assertSnapshot(h.terminal.styledText(), named: "dashboard-80x24-ascii-styles")
    }

    func testHeaderColours() {
        let h = DashboardHarness()
        let header = h.terminal.styledText().components(separatedBy: "\n").prefix(3).joined(separator: "\n")
        assertSnapshot(header, named: "dashboard-header-styles")
    }
}
