import XCTest
@testable import TerminalUI

/// The selection, sort and search shared by Files, Shared and Blobs.
final class TablePanelStateTests: XCTestCase {
    enum Column: Int, SortColumn { case size, name; var startsAscending: Bool { self == .name } }

    func testKeysMoveTheSelectionThenChangeTheSort() {
        var state = TablePanelState(sortedBy: Column.size)
        XCTAssertFalse(state.sort.ascending)
        XCTAssertTrue(state.handle(key: .down, rowCount: 3, visibleRows: 2))
        XCTAssertEqual(state.table.selected, 1)
        XCTAssertTrue(state.handle(key: .char(">"), rowCount: 3, visibleRows: 2))
        XCTAssertEqual(state.sort.column, .name)
        XCTAssertTrue(state.sort.ascending, "a new column starts in its own direction")
        XCTAssertTrue(state.handle(key: .char("s"), rowCount: 3, visibleRows: 2))
        XCTAssertFalse(state.sort.ascending)
        XCTAssertFalse(state.handle(key: .char("x"), rowCount: 3, visibleRows: 2))
        state.select(10, rowCount: 3, visibleRows: 2)
        XCTAssertEqual(state.table.selected, 2, "clamped")
    }

    func testSearchWrapsAndIgnoresCase() {
        let state = TablePanelState(sortedBy: Column.size)
        let names = [["alpha"], ["Beta", "x"], ["gamma"], ["BETAMAX"]]
        XCTAssertEqual(state.search("beta", startingAt: 2, rowCount: 4) { names[$0] }, 3)
        XCTAssertEqual(state.search("beta", startingAt: 0, rowCount: 4) { names[$0] }, 1)
        XCTAssertEqual(state.search("ALPHA", startingAt: 1, rowCount: 4) { names[$0] }, 0, "wraps")
        XCTAssertNil(state.search("delta", startingAt: 0, rowCount: 4) { names[$0] })
        XCTAssertNil(state.search("", startingAt: 0, rowCount: 4) { names[$0] })
    }
}
