import XCTest
@testable import TerminalUI

final class ScreenBufferTests: XCTestCase {
    func testPutClipsAtEveryEdge() {
        let term = GridTerminal(rows: 3, cols: 5)
        term.put(row: 0, col: 3, "abcdef", style: .plain)    // right edge
        term.put(row: 1, col: -2, "xyzw", style: .plain)     // left edge
        term.put(row: 3, col: 0, "never", style: .plain)     // below
        term.put(row: -1, col: 0, "never", style: .plain)    // above
        term.put(row: 2, col: 5, "never", style: .plain)     // just past the right edge
        term.present()
        XCTAssertEqual(term.text(), "   ab\nzw\n")
    }

    func testControlCharactersBecomeSpaces() {
        let term = GridTerminal(rows: 1, cols: 8)
        term.put(row: 0, col: 0, "a\tb\nc\u{7f}d", style: .plain)
        term.present()
        XCTAssertEqual(term.text(), "a b c d")
    }

    func testFirstPresentWritesEveryCellThenOnlyChanges() {
        let term = GridTerminal(rows: 4, cols: 10)
        term.put(row: 1, col: 1, "hello", style: .plain)
        term.present()
        XCTAssertEqual(term.lastPresentWrites, 40)

        term.clear()
        term.put(row: 1, col: 1, "hello", style: .plain)
        term.present()
        XCTAssertEqual(term.lastPresentWrites, 0, "an identical frame writes nothing")

        term.clear()
        term.put(row: 1, col: 1, "help!", style: .plain)
        term.present()
        XCTAssertEqual(term.lastPresentWrites, 2, "only 'p' and '!' changed")

        term.clear()
        term.put(row: 1, col: 1, "help!", style: .bold)
        term.present()
        XCTAssertEqual(term.lastPresentWrites, 5, "a style change is a change")
    }

    func testCommitGroupsRunsByRowAndStyle() {
        var buffer = ScreenBuffer(size: Size(rows: 2, cols: 6))
        _ = buffer.commit()
        buffer.put(row: 0, col: 1, "ab", style: .plain)
        buffer.put(row: 0, col: 3, "cd", style: .bold)
        buffer.put(row: 1, col: 0, "x", style: .plain)
        buffer.put(row: 1, col: 5, "y", style: .plain)
        let runs = buffer.commit()
        XCTAssertEqual(runs.map { "\($0.row),\($0.col):\($0.text)" }, ["0,1:ab", "0,3:cd", "1,0:x", "1,5:y"])
        XCTAssertEqual(buffer.commit(), [])
    }

    func testInvalidateRewritesEverything() {
        let term = GridTerminal(rows: 2, cols: 3)
        term.present()
        term.present()
        XCTAssertEqual(term.lastPresentWrites, 0)
        term.invalidate()
        term.present()
        XCTAssertEqual(term.lastPresentWrites, 6)
    }

    func testFillClipsToScreen() {
        let term = GridTerminal(rows: 3, cols: 4)
        term.fill(Rect(row: 1, col: 2, height: 5, width: 5), char: "#", style: .plain)
        term.present()
        XCTAssertEqual(term.text(), "\n  ##\n  ##")
    }

    func testMonochromeMapsColoursToAttributes() {
        XCTAssertEqual(Style(fg: .black, bg: .cyan).monochrome, Style(.reverse))
        XCTAssertEqual(Style(fg: .red).monochrome, Style(.bold))
        XCTAssertEqual(Style(fg: .yellow, .underline).monochrome, Style([.bold, .underline]))
        XCTAssertEqual(Style(fg: .blue).monochrome, Style(.dim))
        XCTAssertEqual(Style(fg: .green).monochrome, Style.plain)
        XCTAssertEqual(Style(fg: .cyan, .bold).monochrome, Style(.bold))
        XCTAssertEqual(Style.plain.monochrome, Style.plain)

        let term = GridTerminal(rows: 1, cols: 10, colorMode: .monochrome)
        term.put(row: 0, col: 0, "sel", style: Style(fg: .black, bg: .cyan))
        term.put(row: 0, col: 4, "warn", style: Style(fg: .red))
        term.present()
        XCTAssertEqual(term.styledText(), "[reverse]sel[/] [bold]warn[/]")
    }

    func testStyledTextMarksRuns() {
        let term = GridTerminal(rows: 1, cols: 12)
        term.put(row: 0, col: 0, "F1", style: .plain)
        term.put(row: 0, col: 2, "Help", style: Style(fg: .black, bg: .cyan))
        term.present()
        XCTAssertEqual(term.styledText(), "F1[black on cyan]Help[/]")
    }
}
