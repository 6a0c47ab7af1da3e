import XCTest
@testable import PageCacheModel

/// The pure readahead arithmetic against erofs-format.md §9.
final class ReadaheadStateTests: XCTestCase {
    func testInitialWindowSizesForMax32() {
        // req 1–2 → 4 pages, 3–4 → 8, 5–8 → 16, > 8 → 32.
        let expected: [(UInt64, UInt64)] = [(1, 4), (2, 4), (3, 8), (4, 8), (5, 16), (8, 16), (9, 32), (32, 32), (100, 32)]
        for (request, size) in expected {
            XCTAssertEqual(Readahead.initialSize(request: request, max: 32), size, "request \(request)")
        }
    }

    func testNextSizeRampsTo32() {
        var sizes: [UInt64] = [4]
        for _ in 0..<4 { sizes.append(Readahead.nextSize(sizes.last!, max: 32)) }
        XCTAssertEqual(sizes, [4, 8, 16, 32, 32])
        XCTAssertEqual(Readahead.nextSize(1, max: 32), 4) // 1 < 32/16: ×4
    }

    func testSyncAtFileStartOpensInitialWindow() {
        var ra = ReadaheadState(raPages: 32)
        let request = ra.syncReadahead(index: 0, request: 1, ioPages: 32) { _, _ in XCTFail("no context lookup"); return 0 }
        XCTAssertEqual(request, ReadaheadRequest(start: 0, count: 4, lookahead: 3))
        XCTAssertEqual(ra.expectedMarker, 1)
    }

    func testOversizedRequestGetsHalfAsync() {
        var ra = ReadaheadState(raPages: 32)
        ra.prevPos = 1 << 30
        let request = ra.syncReadahead(index: 7, request: 64, ioPages: 32) { _, _ in 0 }
        XCTAssertEqual(request, ReadaheadRequest(start: 7, count: 32, lookahead: 16))
    }

    func testOversizedRequestMayGrowToIOPages() {
        var ra = ReadaheadState(raPages: 32)
        let request = ra.syncReadahead(index: 0, request: 64, ioPages: 256) { _, _ in 0 }
        XCTAssertEqual(request.count, 64)
    }

    func testRandomMissLeavesStateAlone() {
        var ra = ReadaheadState(raPages: 32)
        ra.prevPos = 50 * 4096
        let before = ra
        let request = ra.syncReadahead(index: 10, request: 2, ioPages: 32) { _, _ in 0 }
        XCTAssertEqual(request, ReadaheadRequest(start: 10, count: 2, lookahead: 0))
        XCTAssertEqual(ra, before)
    }

    func testContextReadaheadDoublesRunFromFileStart() {
        var ra = ReadaheadState(raPages: 32)
        ra.prevPos = 900 * 4096
        let request = ra.syncReadahead(index: 10, request: 1, ioPages: 32) { index, max in min(index, max) }
        XCTAssertEqual(request, ReadaheadRequest(start: 10, count: 21, lookahead: 1))
    }

    func testContextReadaheadInTheMiddle() {
        var ra = ReadaheadState(raPages: 32)
        ra.prevPos = 900 * 4096
        let request = ra.syncReadahead(index: 100, request: 2, ioPages: 32) { _, _ in 5 }
        XCTAssertEqual(request, ReadaheadRequest(start: 100, count: 7, lookahead: 1))
    }

    func testAsyncAtExpectedMarkerPushesAndRamps() {
        var ra = ReadaheadState(raPages: 32)
        ra.start = 0; ra.size = 4; ra.asyncSize = 3
        let next = ra.asyncReadahead(index: 1, request: 1, ioPages: 32) { _, _ in XCTFail(); return 0 }
        XCTAssertEqual(next, ReadaheadRequest(start: 4, count: 8, lookahead: 8))
        XCTAssertEqual(ra.expectedMarker, 4)
    }

    func testAsyncAtUnexpectedMarkerRebuildsFromNextMiss() {
        var ra = ReadaheadState(raPages: 32)
        ra.start = 500; ra.size = 8; ra.asyncSize = 8
        // Marker at 20, pages 21…27 cached: the next miss is 28, old async size 8, + request 1 → 9 → 18.
        let next = ra.asyncReadahead(index: 20, request: 1, ioPages: 32) { from, _ in
            XCTAssertEqual(from, 21)
            return 28
        }
        XCTAssertEqual(next, ReadaheadRequest(start: 28, count: 18, lookahead: 18))
    }

    func testMmapReadAroundCentresAndStopsAfterLotsOfMisses() {
        var ra = ReadaheadState(raPages: 32)
        XCTAssertEqual(ra.mmapReadAround(index: 100, raPages: 32), ReadaheadRequest(start: 84, count: 32, lookahead: 8))
        XCTAssertEqual(ra.mmapReadAround(index: 3, raPages: 32), ReadaheadRequest(start: 0, count: 32, lookahead: 8))
        ra.mmapMiss = 100
        XCTAssertNil(ra.mmapReadAround(index: 100, raPages: 32)) // 101 > MMAP_LOTSAMISS
        ra.mmapHit(); ra.mmapHit()
        XCTAssertNotNil(ra.mmapReadAround(index: 100, raPages: 32)) // back to 100
    }
}
