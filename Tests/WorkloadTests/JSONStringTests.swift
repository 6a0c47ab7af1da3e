import JSONOutput
import XCTest
@testable import Workload

/// One JSON string writer for every output: its escapes, its two buffer forms agreeing, and the
/// native trace reader reading back exactly what it wrote.
final class JSONStringTests: XCTestCase {
    let samples = ["plain", "/usr/lib/python3.11/json/__init__.py", "quote \" and \\ backslash",
                   "lines\nand\rreturns\tand tabs", "bell\u{07} del\u{7F} nul\u{00}", "ünïcødé ✓ 🎉", ""]

    func testEscapes() {
        XCTAssertEqual(JSONString.quoted("a\"b\\c"), #""a\"b\\c""#)
        XCTAssertEqual(JSONString.quoted("\n\r\t"), #""\n\r\t""#)
        XCTAssertEqual(JSONString.quoted("\u{01}\u{1F}\u{7F}"), #""\u0001\u001f\u007f""#)
        XCTAssertEqual(JSONString.quoted("é✓"), "\"é✓\"")
    }

    func testTextAndBytesAgree() {
        for s in samples {
            var bytes: [UInt8] = []
            JSONString.append(s, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), JSONString.quoted(s), s)
        }
    }

    func testScannerReadsBackWhatIsWritten() throws {
        for s in samples {
            let text = Array(JSONString.quoted(s).utf8)
            let back = try text.withUnsafeBufferPointer { p -> String in
                var scanner = JSONScanner(p)
                return try scanner.string()
            }
            XCTAssertEqual(back, s)
        }
    }
}
