import XCTest
@testable import TerminalUI

final class GeometryTests: XCTestCase {
    func testLayoutFixedThenWeights() {
        let rects = Layout.rows(Rect(row: 0, col: 0, height: 24, width: 80),
                                [.fixed(1), .weight(2), .weight(1), .fixed(1)])
        XCTAssertEqual(rects.map(\.height), [1, 15, 7, 1])
        XCTAssertEqual(rects.map(\.row), [0, 1, 16, 23])
        XCTAssertTrue(rects.allSatisfy { $0.width == 80 })
    }

    func testLayoutTilesWithRoundingLeftovers() {
        XCTAssertEqual(Layout.split(total: 10, [.weight(1), .weight(1), .weight(1)]), [4, 3, 3])
        XCTAssertEqual(Layout.columns(Rect(row: 2, col: 5, height: 3, width: 10), weights: [1, 1, 1]).map(\.col), [5, 9, 12])
        XCTAssertEqual(Layout.split(total: 3, [.fixed(2), .fixed(2), .weight(1)]), [2, 1, 0])
        XCTAssertEqual(Layout.split(total: 5, []), [])
    }

    func testRectHelpers() {
        let r = Rect(row: 1, col: 2, height: 10, width: 20)
        XCTAssertEqual(r.inset(by: 1), Rect(row: 2, col: 3, height: 8, width: 18))
        XCTAssertTrue(r.intersection(Rect(row: 20, col: 0, height: 1, width: 1)).isEmpty)
        XCTAssertEqual(r.centered(Size(rows: 4, cols: 6)), Rect(row: 4, col: 9, height: 4, width: 6))
        XCTAssertEqual(Size(rows: 24, cols: 80).description, "80x24")
    }

    func testCanvasClipsToItsRect() {
        let term = render(rows: 4, cols: 10) { canvas in
            let sub = canvas.sub(Rect(row: 1, col: 2, height: 2, width: 4))
            sub.put(row: 0, col: -1, "abcdefgh")
            sub.put(row: 1, col: 3, "xyz")
            sub.put(row: 2, col: 0, "never")
            sub.fill(Rect(row: -5, col: -5, height: 0, width: 100), char: "#")
        }
        XCTAssertEqual(term.text(), "\n  bcde\n     x\n")
    }

    func testTextFit() {
        XCTAssertEqual(TextFit.fit("abc", width: 5, alignment: .right), "  abc")
        XCTAssertEqual(TextFit.fit("abcdef", width: 4, ellipsis: "…"), "abc…")
        XCTAssertEqual(TextFit.fit("ab", width: 5, alignment: .center), " ab  ")
        XCTAssertEqual(TextFit.percent(0.425), "42.5%")
        XCTAssertEqual(TextFit.percent(1), "100.0%")
    }

    func testGlyphSetFromCodeset() {
        XCTAssertEqual(GlyphSet.forCodeset("UTF-8"), .unicode)
        XCTAssertEqual(GlyphSet.forCodeset("utf8"), .unicode)
        XCTAssertEqual(GlyphSet.forCodeset("ANSI_X3.4-1968"), .ascii)
        XCTAssertEqual(GlyphSet.detect(forceASCII: true), .ascii)
        XCTAssertTrue(GlyphSet.ascii.levels.allSatisfy(\.isASCII))
        XCTAssertTrue([GlyphSet.ascii.shared, GlyphSet.ascii.topLeft, GlyphSet.ascii.horizontal,
                       GlyphSet.ascii.vertical, GlyphSet.ascii.emptyPage, GlyphSet.ascii.ellipsis,
                       GlyphSet.ascii.sortAscending, GlyphSet.ascii.sortDescending].allSatisfy(\.isASCII))
    }
}
