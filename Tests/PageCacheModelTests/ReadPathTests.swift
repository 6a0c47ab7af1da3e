import XCTest
@testable import PageCacheModel

/// read/pread through `filemap_read`: the window sequence of §9.
final class ReadPathTests: XCTestCase {
    /// A sequential 1 MiB read in 4 KiB reads with 128 KiB max: windows 4 → 8 → 16 → 32 → 32…,
    /// each fetched when the previous window's marker is consumed; only page 0 misses.
    func testSequentialOneMiBReadRampsLikeTheKernel() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1024) // 4 MiB, so EOF does not clip
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        var windows: [(start: UInt64, size: UInt64)] = []
        var residentAfter: [Int] = []
        for _ in 0..<256 {
            let before = sim.readaheadState(of: fd)
            XCTAssertEqual(sim.read(fd, length: 4096), 4096)
            let after = sim.readaheadState(of: fd)
            if after.start != before.start || after.size != before.size { windows.append((after.start, after.size)) }
            residentAfter.append(sim.residentPageCount)
        }
        XCTAssertEqual(windows.map(\.start), [0, 4, 12, 28, 60, 92, 124, 156, 188, 220, 252, 284])
        XCTAssertEqual(windows.map(\.size), [4, 8, 16, 32, 32, 32, 32, 32, 32, 32, 32, 32])
        // Read 0 brings 0…3 (marker on 1); read 1 brings 4…11 (marker 4); read 4 → 12…27; read 12 → 28…59.
        XCTAssertEqual(Array(residentAfter.prefix(13)), [4, 12, 12, 12, 28, 28, 28, 28, 28, 28, 28, 28, 60])
        XCTAssertEqual(residentAfter.last, 316) // window 284…315 was fetched when page 252 was read
        XCTAssertEqual(sim.markedPages(of: file), [284])
        let stats = sim.containerStatistics(c)
        XCTAssertEqual(stats.misses.total, 1)
        XCTAssertEqual(stats.hits.total, 255)
        XCTAssertEqual(stats.addedPages.data, 316)
        XCTAssertEqual(sim.position(of: fd), 1 << 20)
        sim.assertInvariants()
    }

    func testFirstWindowMarkerAndAsyncSize() {
        let fx = Fixture()
        let file = fx.addFile(pages: 100)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        sim.read(fd, length: 4096)
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<4))
        XCTAssertEqual(sim.markedPages(of: file), [1])
        let ra = sim.readaheadState(of: fd)
        XCTAssertEqual([ra.start, ra.size, ra.asyncSize], [0, 4, 3])
        XCTAssertEqual(ra.prevPos, 4096)
    }

    func testOneBigReadIsCutAtTheMarkerAndCountsAllMisses() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1024)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        XCTAssertEqual(sim.read(fd, length: 1 << 20), 1 << 20)
        // 256 > 32: window of 32 with async 16, then 32-page async windows every marker.
        let stats = sim.containerStatistics(c)
        XCTAssertEqual(stats.misses.total, 256) // nothing was cached before the call
        XCTAssertEqual(stats.hits.total, 0)
        XCTAssertEqual(sim.residentPageCount, 288)
        sim.assertInvariants()
    }

    func testRandomReadsDoNotRamp() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1024)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        for page: UInt64 in [500, 37, 800, 200, 650] {
            sim.pread(fd, offset: page * 4096, length: 4096)
        }
        XCTAssertEqual(sim.residentPages(of: file), [37, 200, 500, 650, 800])
        XCTAssertEqual(sim.readaheadState(of: fd).size, 0)
        XCTAssertEqual(sim.markedPages(of: file), [])
    }

    func testSecondSequentialReadAfterRandomStartsInitialWindow() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1024)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        sim.pread(fd, offset: 100 * 4096, length: 4096) // random: page 100 only
        sim.pread(fd, offset: 101 * 4096, length: 4096) // prev_index 101: sequential
        XCTAssertEqual(sim.residentPages(of: file), pages(100..<105))
        XCTAssertEqual(sim.markedPages(of: file), [102])
    }

    func testContextReadaheadUsesCachedHistory() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1024)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        sim.pageAdd(c, file, page: 0, count: 10)
        let fd = sim.open(c, file)
        sim.pread(fd, offset: 10 * 4096, length: 4096)
        // 10 cached pages reaching the file start count double: min(20 + 1, 32) = 21 pages, async 1.
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<31))
        XCTAssertEqual(sim.markedPages(of: file), [30])
    }

    func testReadsStopAtEOFAndReadaheadIsClipped() {
        let fx = Fixture()
        let file = fx.addFile(pages: 3, size: 3 * 4096 - 100)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        XCTAssertEqual(sim.read(fd, length: 1 << 20), 3 * 4096 - 100)
        XCTAssertEqual(sim.read(fd, length: 4096), 0)
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<3))
        XCTAssertEqual(sim.residentPageCount, 3)
        sim.assertInvariants()
    }

    func testClippedWindowMovesTheMarkerToItsStart() {
        let fx = Fixture()
        let file = fx.addFile(pages: 3)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        sim.pread(fd, offset: 0, length: 4096)
        // Window 4 clipped to 3 pages, lookahead 3: the mark lands on page 0 (count − lookahead).
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<3))
        XCTAssertEqual(sim.markedPages(of: file), [])  // consumed by the same read
    }

    func testFadviseRandomReadsExactly() {
        let fx = Fixture()
        let file = fx.addFile(pages: 100)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file, advice: .random)
        sim.read(fd, length: 8192)
        sim.read(fd, length: 4096)
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<3))
    }

    func testFadviseSequentialDoublesTheWindow() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1000)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file, advice: .sequential)
        sim.read(fd, length: 64 * 4096)
        XCTAssertEqual(sim.readaheadState(of: fd).raPages, 64)
        XCTAssertEqual(sim.readaheadState(of: fd).size, 64)
    }

    func testReadaheadKBConfiguresTheMaximum() {
        let fx = Fixture()
        let file = fx.addFile(pages: 4096)
        let sim = fx.simulator(CacheConfiguration(readaheadKB: 2560))
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        sim.read(fd, length: 4096)
        // max 640: r = 1 ≤ 640/32 → 4 pages; then 4 < 40 → ×4 = 16.
        XCTAssertEqual(sim.residentPageCount, 4)
        sim.read(fd, length: 4096)
        XCTAssertEqual(sim.residentPageCount, 20)
    }
}
