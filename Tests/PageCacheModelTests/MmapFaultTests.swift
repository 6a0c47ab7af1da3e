import XCTest
@testable import PageCacheModel

/// Faults: read-around, fault-around, PG_readahead on mapped pages, madvise.
final class MmapFaultTests: XCTestCase {
    func testReadAroundThenFaultAround() {
        let fx = Fixture()
        let file = fx.addFile(pages: 256)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        let vma = sim.mmap(fd, length: 256 * 4096)
        // Miss at 100: read-around start 100 − 16 = 84, 32 pages, async 8 → marker at 108.
        XCTAssertEqual(sim.fault(vma, page: 100), .major)
        XCTAssertEqual(sim.residentPages(of: file), pages(84..<116))
        XCTAssertEqual(sim.markedPages(of: file), [108])
        XCTAssertEqual(sim.mappedPages(vma), [100])
        // Fault at 101: fault-around maps the cached pages of the aligned 16-page window 96…111,
        // except the PG_readahead page 108; no I/O.
        XCTAssertEqual(sim.fault(vma, page: 101), .mappedByFaultAround)
        XCTAssertEqual(sim.mappedPages(vma), pages(96..<108) + pages(109..<112))
        XCTAssertEqual(sim.residentPageCount, 32)
        // Touching 108 faults; the marker is the expected one: async window 116…147.
        XCTAssertEqual(sim.touch(vma, page: 108), .minor)
        XCTAssertEqual(sim.residentPages(of: file), pages(84..<148))
        XCTAssertEqual(sim.markedPages(of: file), [116])
        // A touch of a mapped page is a plain hit.
        XCTAssertEqual(sim.touch(vma, page: 97), .alreadyMapped)
        let stats = sim.containerStatistics(c)
        XCTAssertEqual(stats.misses.total, 1)
        XCTAssertEqual(stats.hits.total, 3)
        sim.assertInvariants()
    }

    func testFaultAroundNeverStartsIO() {
        let fx = Fixture()
        let file = fx.addFile(pages: 64)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        sim.pageAdd(c, file, page: 16, count: 4)
        XCTAssertEqual(sim.mapPages(c, file, pages: 0..<64), 4)
        XCTAssertEqual(sim.mappedPages(sim.implicitMappingID(c, file)), pages(16..<20))
        XCTAssertEqual(sim.residentPageCount, 4)
    }

    func testRandomAdviceFaultsOnePage() {
        let fx = Fixture()
        let file = fx.addFile(pages: 256)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        let vma = sim.mmap(fd, length: 256 * 4096, advice: .random)
        sim.fault(vma, page: 50)
        XCTAssertEqual(sim.residentPages(of: file), [50])
    }

    func testSequentialAdviceUsesSyncReadahead() {
        let fx = Fixture()
        let file = fx.addFile(pages: 256)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        let vma = sim.mmap(fd, length: 256 * 4096, advice: .sequential)
        sim.fault(vma, page: 0)
        // page_cache_sync_ra(ra_pages = 32) at 0: window 32, async 16.
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<32))
        XCTAssertEqual(sim.markedPages(of: file), [16])
    }

    func testReadAroundStopsAfterLotsOfMisses() {
        let fx = Fixture()
        let file = fx.addFile(pages: 100_000)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        // 101 faults far apart, each a miss: the 101st exceeds MMAP_LOTSAMISS.
        for i in 0..<101 { sim.fault(c, file, page: UInt64(i) * 64 + 32) }
        XCTAssertEqual(sim.residentPageCount, 100 * 32 + 1)
    }

    func testFaultAroundIsClippedToTheMapping() {
        let fx = Fixture()
        let file = fx.addFile(pages: 64)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        sim.pageAdd(c, file, page: 0, count: 32)
        let fd = sim.open(c, file)
        let vma = sim.mmap(fd, offset: 10 * 4096, length: 8 * 4096)
        XCTAssertEqual(sim.fault(vma, page: 12), .mappedByFaultAround)
        XCTAssertEqual(sim.mappedPages(vma), pages(10..<18))
        XCTAssertEqual(sim.fault(vma, page: 9), .outOfRange)
        XCTAssertEqual(sim.touch(vma, page: 18), .outOfRange)
    }

    func testFaultAroundHitsLowerMmapMiss() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1000)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        let vma = sim.mmap(fd, length: 1000 * 4096)
        sim.fault(vma, page: 500) // miss: mmap_miss 1, read-around 484…515
        sim.fault(vma, page: 490) // fault-around maps 480…495 cached: 484…495 = 12 pages
        XCTAssertEqual(sim.readaheadState(of: fd).mmapMiss, 0)
        XCTAssertEqual(sim.mappedPages(vma), pages(484..<496) + [500])
    }

    func testTraceFaultsOutsideTheFileAreIgnored() {
        let fx = Fixture()
        let file = fx.addFile(pages: 4)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        XCTAssertEqual(sim.fault(c, file, page: 4), .outOfRange)
        XCTAssertEqual(sim.fault(c, file, page: 2), .major)
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<4))
    }

    /// Mappings keep their PTE bits in one pool: unmapping many leaves holes that are squeezed
    /// out, and the live mappings must keep their own pages through that, and through a saved
    /// state restored afterwards.
    func testUnmappedWindowsLeaveOthersIntact() {
        let fx = Fixture()
        let file = fx.addFile(pages: 64 * 64)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        var vmas: [MappingID] = []
        for i in 0..<300 {
            let vma = sim.mmap(fd, length: 64 * 64 * 4096)
            sim.fault(vma, page: UInt64(i * 13 % 4096))
            vmas.append(vma)
        }
        let before = vmas.map { sim.mappedPages($0) }
        let saved = sim.saveState()
        for (i, vma) in vmas.enumerated() where i % 3 != 0 { sim.munmap(vma) }
        for (i, vma) in vmas.enumerated() where i % 3 == 0 {
            XCTAssertEqual(sim.mappedPages(vma), before[i], "mapping \(i) after the others were unmapped")
        }
        // A new mapping reuses a freed id and starts with nothing mapped.
        let again = sim.mmap(fd, length: 64 * 64 * 4096)
        XCTAssertEqual(sim.mappedPages(again), [])
        sim.restore(saved)
        for (i, vma) in vmas.enumerated() {
            XCTAssertEqual(sim.mappedPages(vma), before[i], "mapping \(i) in the restored state")
        }
        sim.assertInvariants()
    }
}
