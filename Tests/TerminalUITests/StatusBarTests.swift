import XCTest
@testable import TerminalUI

final class StatusBarTests: XCTestCase {
    let items = [StatusBar.Item("F1", "Help"), StatusBar.Item("p", "Policy"), StatusBar.Item("F10", "Quit")]

    func testShortMessageSitsAfterEveryHint() {
        let term = render(rows: 1, cols: 40) { StatusBar(items, message: "ok").draw(in: $0) }
        XCTAssertEqual(term.text(), "F1Help  pPolicy F10Quit" + String(repeating: " ", count: 14) + "ok")
    }

    func testLongMessageHidesHintsFromTheRight() {
        let term = render(rows: 1, cols: 40) { StatusBar(items, message: "model: readahead 42 KB").draw(in: $0) }
        XCTAssertEqual(term.text(), "F1Help  pPolicy  model: readahead 42 KB")
    }

    func testMessageLongerThanTheLineIsCut() {
        let long = String(repeating: "x", count: 50)
        let term = render(rows: 1, cols: 20, glyphs: .ascii) { StatusBar(items, message: long).draw(in: $0) }
        XCTAssertEqual(term.text(), String(repeating: "x", count: 19) + "~")
    }
}
