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
    /// The scan that decides whether bytes need escaping (eight at a time) finds every byte
    /// that does, at every position, among bytes that do not.
    func testEveryByteAtEveryPositionIsEscapedWhenItMustBe() {
        for length in 1...20 {
            for position in 0..<length {
                for byte in 0...255 {
                    for fill: UInt8 in [0x61, 0xFF, 0x20, 0x21, 0x7E, 0x80] {
                        var bytes = [UInt8](repeating: fill, count: length)
                        bytes[position] = UInt8(byte)
                        let special = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }
                        var out: [UInt8] = []
                        let plain = bytes.withUnsafeBytes { JSONString.append(utf8Bytes: $0, to: &out) }
                        XCTAssertEqual(plain, !special, "byte \(byte) at \(position) of \(length)")
                        if plain { XCTAssertEqual(out, [0x22] + bytes + [0x22]) }
                    }
                }
            }
        }
    }
}
