import XCTest
@testable import TerminalUI

/// The timeline bar and the seek keys, against the fake source's 5000-event,
/// 50-second timeline.
final class DashboardTimelineTests: XCTestCase {
    func timed(rows: Int = 40, cols: Int = 120) -> DashboardHarness {
        let source = FakeDashboardSource()
        source.duration = 50
        return DashboardHarness(rows: rows, cols: cols, source: source)
    }

    func line(_ h: DashboardHarness, _ row: Int) -> String {
        let lines = h.text.components(separatedBy: "\n")
        return row < lines.count ? lines[row] : ""
    }

    func testNoTimelineNoBarAndSeekKeysDoNothing() {
        let h = DashboardHarness()
        XCTAssertTrue(line(h, 3).hasPrefix("┌"), "the panels start under the header: \(line(h, 3))")
        h.press(.char("]"), .char("}"))
        XCTAssertEqual(h.source.seeks, [])
        h.press(.char("g"))
        XCTAssertFalse(h.text.contains("go to (seconds, #event or %):"), "no go-to line without a timeline")
    }

    func testBarShowsPositionMarkersAndCounts() {
        let h = timed()
        let bar = line(h, 3)
        XCTAssertTrue(bar.contains("1234/5000 ev  24%"), bar)
        XCTAssertTrue(bar.contains("50.0s"), bar)
        let axis = TimelineBar.axis(width: 120, timeline: h.source.timeline!)
        let chars = Array(bar)
        XCTAssertEqual(chars[axis.lowerBound - 1], "[")
        XCTAssertEqual(chars[axis.upperBound], "]")
        func col(_ event: Int) -> Int { axis.lowerBound + Int((Double(event) / 5000 * Double(axis.count - 1)).rounded()) }
        XCTAssertEqual(chars[col(1234)], "●", "the position")
        XCTAssertEqual(chars[col(1500)], "2", "app-v1 starts")
        XCTAssertEqual(chars[col(2500)], "¦", "a trace source")
        XCTAssertEqual(chars[col(3000)], "3", "app-v2 starts")
        XCTAssertEqual(chars[col(1000)], "━", "done part")
        XCTAssertEqual(chars[col(4000)], "─", "to do")
    }

    func testBracketsAndBracesSeekByOneAndTenPercent() {
        let h = timed()
        h.press(.char("]"))
        XCTAssertEqual(h.source.seeks, [.relative(fraction: 0.01)])
        XCTAssertTrue(line(h, 3).contains("1284/5000 ev"), line(h, 3))
        XCTAssertTrue(h.text.contains("at event 1284"), "the source's status line")
        h.press(.char("["), .char("}"), .char("{"))
        XCTAssertEqual(h.source.seeks, [.relative(fraction: 0.01), .relative(fraction: -0.01),
                                        .relative(fraction: 0.1), .relative(fraction: -0.1)])
        XCTAssertTrue(line(h, 3).contains("1234/5000 ev"), line(h, 3))
    }

    func testGoToTakesSecondsEventsAndPercent() {
        let h = timed()
        h.press(.char("g"))
        XCTAssertTrue(h.text.contains("go to (seconds, #event or %):"))
        h.type("#100")
        h.press(.enter)
        XCTAssertEqual(h.source.seeks.last, .event(100))
        XCTAssertTrue(line(h, 3).contains(" 100/5000 ev"), line(h, 3))
        h.press(.char("g"))
        h.type("12.5s")
        h.press(.enter)
        XCTAssertEqual(h.source.seeks.last, .time(12.5))
        XCTAssertTrue(line(h, 3).contains("1250/5000 ev"), line(h, 3))
        h.press(.char("g"))
        h.type("40%")
        h.press(.enter)
        XCTAssertEqual(h.source.seeks.last, .event(2000))
        h.press(.char("g"))
        h.type("soon")
        h.press(.enter)
        XCTAssertEqual(h.source.seeks.count, 3, "nonsense does not seek")
        XCTAssertTrue(h.text.contains("not a time, #event or %: soon"))
        h.press(.char("g"))
        h.type("7")
        h.press(.escape)
        XCTAssertEqual(h.source.seeks.count, 3, "Esc does not seek")
        XCTAssertFalse(h.text.contains("go to (seconds, #event or %):"))
    }

    func testParseGoTo() {
        XCTAssertEqual(DashboardScreen.parseGoTo(" 3 ", eventsTotal: 10), .time(3))
        XCTAssertEqual(DashboardScreen.parseGoTo("#0", eventsTotal: 10), .event(0))
        XCTAssertEqual(DashboardScreen.parseGoTo("100%", eventsTotal: 10), .event(10))
        XCTAssertNil(DashboardScreen.parseGoTo("#-1", eventsTotal: 10))
        XCTAssertNil(DashboardScreen.parseGoTo("101%", eventsTotal: 10))
        XCTAssertNil(DashboardScreen.parseGoTo("-2", eventsTotal: 10))
        XCTAssertNil(DashboardScreen.parseGoTo("inf", eventsTotal: 10))
    }

    func testHomeAndEndSeekOnlyWhereTheyDoNotMoveASelection() {
        let h = timed()
        h.press(.down, .home)
        XCTAssertEqual(h.source.seeks, [], "in Files Home selects the first row")
        XCTAssertEqual(h.screen.files.table.selected, 0)
        h.press(.char("a"), .end)
        XCTAssertEqual(h.source.seeks, [.event(5000)], "the all-policies view has no rows")
        h.press(.home)
        XCTAssertEqual(h.source.seeks, [.event(5000), .event(0)])
        h.press(.char("a"), .backTab, .backTab)         // Inode map, no file chosen: no rows
        XCTAssertEqual(h.screen.focus, .inodeMap)
        h.press(.end)
        XCTAssertEqual(h.source.seeks.last, .event(5000))
    }

    func testAContainerStartWinsOverATraceSourceAtTheSamePoint() {
        let t = TimelineInfo(duration: 10, clock: 0, eventsDone: 0, eventsTotal: 100, markers: [
            .init(time: 5, event: 50, label: "v1", kind: .containerStart),
            .init(time: 5, event: 50, label: "v1.strace", kind: .traceSource),
        ])
        let term = render(rows: 1, cols: 60) { TimelineBar(timeline: t, containers: ["base", "v1"]).draw(in: $0) }
        let axis = TimelineBar.axis(width: 60, timeline: t)
        let chars = Array(term.text())
        XCTAssertEqual(chars[axis.lowerBound + Int((0.5 * Double(axis.count - 1)).rounded())], "2")
    }

    func testClickOnTheBarSeeksThere() {
        let h = timed()
        let axis = TimelineBar.axis(width: 120, timeline: h.source.timeline!)
        h.press(.mouse(MouseEvent(row: 3, col: axis.lowerBound)))
        XCTAssertEqual(h.source.seeks, [.time(0)])
        h.press(.mouse(MouseEvent(row: 3, col: axis.upperBound - 1)))
        XCTAssertEqual(h.source.seeks.last, .time(50))
        XCTAssertTrue(line(h, 3).contains("5000/5000 ev"), line(h, 3))
        h.press(.mouse(MouseEvent(row: 3, col: axis.lowerBound + (axis.count - 1) / 2)))
        guard case .time(let t)? = h.source.seeks.last else { return XCTFail("a time seek") }
        XCTAssertEqual(t, 25, accuracy: 50.0 / Double(axis.count))
        h.press(.mouse(MouseEvent(row: 3, col: 1)))
        XCTAssertEqual(h.source.seeks.count, 3, "left of the axis: no seek")
    }

    func testSeekFailureEndsTheLoopLikeATick() {
        let h = timed()
        h.source.failure = DashboardFailureTests.ImageGone()
        h.terminal.enqueue(.char("]"))
        XCTAssertThrowsError(try h.app.step())
        XCTAssertEqual(h.source.seeks, [.relative(fraction: 0.01)], "the seek itself threw")
    }

    func testTimelineAtMinimumSizeASCII() {
        let source = FakeDashboardSource()
        source.duration = 50
        let h = DashboardHarness(rows: 24, cols: 80, glyphs: .ascii, colorMode: .monochrome, source: source)
        let bar = line(h, 3)
        XCTAssertTrue(bar.unicodeScalars.allSatisfy(\.isASCII), bar)
        XCTAssertTrue(bar.contains("@") && bar.contains("1234/5000 ev"), bar)
        assertSnapshot(h.text, named: "dashboard-timeline-80x24-ascii")
    }
}
