import XCTest
@testable import TerminalUI

/// Codes are the ncurses values (octal, as in curses.h).
final class KeyDecoderTests: XCTestCase {
    func testFunctionKeys() {
        let cases: [(Int32, Key)] = [
            (0o403, .up), (0o402, .down), (0o404, .left), (0o405, .right),
            (0o523, .pageUp), (0o522, .pageDown), (0o406, .home), (0o550, .end),
            (0o541, .backTab), (0o527, .enter), (0o407, .backspace), (0o512, .delete),
            (0o632, .resize), (0o411, .f1), (0o422, .f10), (0o414, .function(4)),
        ]
        for (code, key) in cases {
            XCTAssertEqual(KeyDecoder.decode(functionKey: code), key, "code \(String(code, radix: 8))")
        }
        XCTAssertNil(KeyDecoder.decode(functionKey: 0o777))
    }

    func testCharacters() {
        XCTAssertEqual(KeyDecoder.decode(character: 9), .tab)
        XCTAssertEqual(KeyDecoder.decode(character: 10), .enter)
        XCTAssertEqual(KeyDecoder.decode(character: 13), .enter)
        XCTAssertEqual(KeyDecoder.decode(character: 127), .backspace)
        XCTAssertEqual(KeyDecoder.decode(character: 8), .backspace)
        XCTAssertEqual(KeyDecoder.decode(character: 27), .escape)
        XCTAssertEqual(KeyDecoder.decode(character: 12), .ctrl("l"))
        XCTAssertEqual(KeyDecoder.decode(character: 1), .ctrl("a"))
        for c in "hjklq/ ?" {
            XCTAssertEqual(KeyDecoder.decode(character: c.unicodeScalars.first!.value), .char(c))
        }
        XCTAssertEqual(KeyDecoder.decode(character: 0xE9), .char("é"))
        XCTAssertEqual(KeyDecoder.decode(character: 0x1F600), .char("😀"))
        XCTAssertNil(KeyDecoder.decode(character: 0))
        XCTAssertNil(KeyDecoder.decode(character: 0xD800), "a lone surrogate is no character")
    }
}
