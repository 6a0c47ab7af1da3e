import XCTest
@testable import TerminalUI

/// A data source that cannot go on ends the dashboard: the loop stops, the terminal is restored
/// before the error reaches the caller, and nothing is drawn after it.
final class DashboardFailureTests: XCTestCase {
    struct ImageGone: Error, Equatable {}

    func testATickThatThrowsRestoresTheTerminalThenRethrows() throws {
        let source = FakeDashboardSource()
        let terminal = GridTerminal(rows: 30, cols: 100)
        terminal.enqueue(.tab)
        var ticksBeforeFailure = 0
        terminal.onIdle = { _ in
            ticksBeforeFailure = source.ticks.count
            source.failure = ImageGone()
        }
        XCTAssertThrowsError(try Dashboard.run(dataSource: source, terminal: terminal, clock: ManualClock())) { error in
            XCTAssertEqual(error as? ImageGone, ImageGone())
        }
        XCTAssertEqual(terminal.restoreCount, 1, "restored exactly once, before the error reached the caller")
        XCTAssertEqual(source.ticks.count, ticksBeforeFailure + 1, "the loop stopped at the first failing tick")
        XCTAssertTrue(terminal.text().contains("Files"), "the dashboard ran before the failure")
    }

    func testAnActionThatThrowsEndsTheAppAndCountsAsQuit() throws {
        let h = DashboardHarness()
        let draws = h.app.drawCount
        h.source.failure = ImageGone()
        h.terminal.enqueue(.char("c"))
        XCTAssertThrowsError(try h.app.step())
        XCTAssertEqual(h.source.actions, [.dropCaches])
        XCTAssertTrue(h.app.hasQuit)
        XCTAssertFalse(try h.app.step(), "a failed app does not run again")
        XCTAssertEqual(h.app.drawCount, draws, "nothing is drawn after the failure")
    }
}
