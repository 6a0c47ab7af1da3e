import XCTest
@testable import TerminalUI

/// The `o` knobs panel and the settings in the header.
final class DashboardKnobsTests: XCTestCase {
    static let defaults = ModelKnobs(readaheadKB: 128, faultAroundKB: 64, cacheMB: nil,
                                     separateDomains: false, mmapTouch: .none)

    func withKnobs(rows: Int = 40, cols: Int = 120) -> DashboardHarness {
        let source = FakeDashboardSource()
        source.modelKnobs = Self.defaults
        return DashboardHarness(rows: rows, cols: cols, source: source)
    }

    func testHeaderShowsTheSettingsInForce() {
        let h = withKnobs(rows: 60, cols: 200)
        let second = h.text.components(separatedBy: "\n")[1]
        XCTAssertTrue(second.hasSuffix("ra 128K  fa 64K  cache ∞  domains 1  mmap none"), second)
        XCTAssertTrue(second.contains("1 base (tensorflow-base.erofs)"), "containers keep their long labels: \(second)")
        let small = withKnobs(rows: 24, cols: 80)
        let line = small.text.components(separatedBy: "\n")[1]
        XCTAssertTrue(line.contains("ra 128K") && line.contains("cache ∞"), line)
        XCTAssertTrue(line.contains("app-v2"), "every container still named: \(line)")
        XCTAssertFalse(DashboardHarness().text.components(separatedBy: "\n")[1].contains("ra "), "no knobs, no settings")
    }

    func testEditEveryFieldThenApply() {
        let h = withKnobs()
        h.press(.char("o"))
        XCTAssertTrue(h.text.contains("What-if model settings"))
        h.press(.down)                        // Fault-around
        h.type("32")
        h.press(.enter)
        h.press(.down, .enter)                // Cache size: edit
        h.type("256")
        h.press(.enter)
        h.press(.down, .char(" "))            // Domains: per image
        h.press(.down, .right)                // mmap touch: first
        XCTAssertTrue(h.text.contains("changed: Apply"))
        XCTAssertEqual(h.source.appliedKnobs, [], "nothing applied before Apply")
        h.press(.down, .enter)                // Apply
        let expected = ModelKnobs(readaheadKB: 128, faultAroundKB: 32, cacheMB: 256, separateDomains: true, mmapTouch: .first)
        XCTAssertEqual(h.source.appliedKnobs, [expected])
        XCTAssertFalse(h.text.contains("What-if model settings"), "the panel closes")
        let second = h.text.components(separatedBy: "\n")[1]
        XCTAssertTrue(second.hasSuffix("ra 128K  fa 32K  cache 256M  domains per-image  mmap first"), second)
    }

    func testEmptyCacheMeansUnboundedAndBadNumbersAreRefused() {
        let source = FakeDashboardSource()
        source.modelKnobs = ModelKnobs(readaheadKB: 128, faultAroundKB: 64, cacheMB: 512)
        let h = DashboardHarness(source: source)
        h.press(.char("o"), .up)              // wraps to Apply
        h.press(.up, .up, .up)                // mmap touch, Domains, Cache size
        h.press(.enter, .ctrl("u"), .enter)   // cleared: unbounded
        h.press(.up, .up, .enter, .ctrl("u"))
        h.type("lots")
        h.press(.enter)
        XCTAssertTrue(h.text.contains("Readahead: a whole number"), "refused, still editing")
        h.press(.escape)                      // keep the old readahead
        h.press(.up, .up)                     // from Readahead up: Apply, then mmap touch
        XCTAssertEqual(h.screen.knobsEditor?.field, .mmapTouch)
        h.press(.down, .enter)
        XCTAssertEqual(source.appliedKnobs, [ModelKnobs(readaheadKB: 128, faultAroundKB: 64, cacheMB: nil)])
    }

    func testEscapeCancelsWithoutApplying() {
        let h = withKnobs()
        h.press(.char("o"), .char("9"), .enter, .escape)
        XCTAssertNil(h.screen.knobsEditor)
        XCTAssertEqual(h.source.appliedKnobs, [])
        XCTAssertTrue(h.text.contains("settings unchanged"))
        XCTAssertTrue(h.text.components(separatedBy: "\n")[1].contains("ra 128K"))
    }

    func testKeysGoToThePanelNotTheDashboard() {
        let h = withKnobs()
        h.press(.char("o"), .char("q"))
        XCTAssertNil(h.screen.knobsEditor, "q closes the panel")
        XCTAssertFalse(h.app.hasQuit, "and does not quit")
        h.press(.char("o"), .char("p"))
        XCTAssertEqual(h.source.actions, [], "p does not switch the policy under the panel")
    }

    func testWithoutKnobsThePanelDoesNotOpen() {
        let h = DashboardHarness()
        h.press(.char("o"))
        XCTAssertNil(h.screen.knobsEditor)
        XCTAssertTrue(h.text.contains("no model settings to change here"))
    }

    func testKnobsPanelSnapshot() {
        let h = withKnobs()
        h.press(.char("o"), .down, .down)
        assertSnapshot(h.text, named: "dashboard-knobs")
    }
}
