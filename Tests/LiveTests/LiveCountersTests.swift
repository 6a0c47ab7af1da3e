@testable import Live
import XCTest

/// Hit and miss counting as cachestat does it, and the get_pages batch rule.
final class LiveCountersTests: XCTestCase {
    func testHitsAreAccessesThatWereNotMissesClampedPerInterval() {
        var c = MountCounters()
        c.add(accesses: 10)
        c.add(misses: 4)
        c.add(misses: 2, metadata: true)
        XCTAssertEqual(c.interval.hits, 4)
        XCTAssertEqual(c.interval.metadataMisses, 2)
        XCTAssertEqual(c.closeInterval(), CacheCounts(accesses: 10, misses: 6, metadataMisses: 2))
        // Readahead adds more than was asked for: no negative hits.
        c.add(accesses: 1)
        c.add(misses: 32)
        XCTAssertEqual(c.closeInterval().hits, 0)
        XCTAssertEqual(c.totalHits, 4)
        XCTAssertEqual(c.totalMisses, 38)
        XCTAssertTrue(CacheCounts().hitRate.isNaN)
    }

    func testLaterBatchesOfOneReadAreNotCountedAgain() {
        var r = ReadContinuations()
        let k = ReadContinuations.Key(pid: 7, device: "0:40", nid: 42)
        XCTAssertFalse(r.isContinuation(k, first: 0, last: 255))
        XCTAssertTrue(r.isContinuation(k, first: 17, last: 255), "the second batch of the same read")
        XCTAssertTrue(r.isContinuation(k, first: 36, last: 255))
        XCTAssertFalse(r.isContinuation(k, first: 0, last: 255), "a new read from the start")
        XCTAssertFalse(r.isContinuation(ReadContinuations.Key(pid: 8, device: "0:40", nid: 42), first: 17, last: 255), "another reader")
    }
}
