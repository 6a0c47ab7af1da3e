import XCTest
@testable import PageCacheModel

/// `ChunkedArray` shares chunks between copies and copies one only when it changes: a saved
/// replay state must never see the live state's later changes, nor the other way round.
final class ChunkedArrayTests: XCTestCase {
    func testCopiesAreIndependentAcrossChunks() {
        var live = ChunkedArray<Int32>()
        var plain: [Int32] = []
        for i in 0..<10_000 { live.append(Int32(i)); plain.append(Int32(i)) }
        live.append(repeating: -1, count: 5_000)
        plain.append(contentsOf: repeatElement(-1, count: 5_000))
        XCTAssertEqual(Array(live), plain)
        let saved = live
        let savedPlain = plain
        for i in stride(from: 0, to: live.count, by: 997) { live[i] = 7; plain[i] = 7 }
        live.append(42); plain.append(42)                 // into the last chunk, still shared
        XCTAssertEqual(Array(live), plain, "the live copy")
        XCTAssertEqual(Array(saved), savedPlain, "the saved copy must not see later changes")
        var other = saved
        other[4_096] += 1                                  // the first element of the second chunk
        XCTAssertEqual(other[4_096], savedPlain[4_096] + 1)
        XCTAssertEqual(saved[4_096], savedPlain[4_096])
        other.removeAll()
        XCTAssertEqual(other.count, 0)
        XCTAssertEqual(Array(saved), savedPlain)
    }
}
