import XCTest
@testable import Workload

/// Events are counted per kind by ordinal (no hashing per event): the ordinal is the kind's
/// place in `allCases`, and the per-kind counts read back as the dictionary they always were.
final class EventKindCountTests: XCTestCase {
    func testOrdinalsArePositionsInAllCases() {
        for (i, kind) in EventKindName.allCases.enumerated() { XCTAssertEqual(kind.ordinal, i, kind.rawValue) }
        XCTAssertEqual(EventKindName.allCases.sorted(), EventKindName.allCases)
    }

    func testCountsByKindReadAndWriteAsADictionary() throws {
        let t = try parseTrace(text: """
            {"erofs_top_trace":1}
            {"t":0.1,"ev":"open","path":"/a","fd":3}
            {"t":0.2,"ev":"read","fd":3,"len":10}
            {"t":0.3,"ev":"read","fd":3,"len":10}
            {"t":0.4,"ev":"close","fd":3}
            """, format: .native)
        XCTAssertEqual(t.summary.eventsByKind, [.open: 1, .read: 2, .close: 1])
        var summary = t.summary
        summary.eventsByKind = [.note: 5]
        XCTAssertEqual(summary.eventsByKind, [.note: 5])
    }
}
