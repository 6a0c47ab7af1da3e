import XCTest
@testable import PageCacheModel

/// LRU, capacity, first-touch charging, drop_caches, page-level replay, directories.
final class CacheAccountingTests: XCTestCase {
    func testLRUEvictsLeastRecentlyUsedUnderCapacity() {
        let fx = Fixture()
        let file = fx.addFile(pages: 16)
        let sim = fx.simulator(CacheConfiguration(capacityPages: 4))
        let c = sim.registerContainer(name: "a")
        sim.pageAdd(c, file, page: 0, count: 4)
        sim.accessPages(c, file, pages: 0..<1) // 0 becomes most recent
        XCTAssertEqual(sim.pagesByRecency(), [1, 2, 3, 0].map { fx.key(file, $0) })
        sim.accessPages(c, file, pages: 4..<5) // evicts 1
        XCTAssertEqual(sim.pagesByRecency(), [2, 3, 0, 4].map { fx.key(file, $0) })
        sim.pageAdd(c, file, page: 5) // evicts 2
        XCTAssertEqual(sim.residentPages(of: file), [0, 3, 4, 5])
        let stats = sim.containerStatistics(c)
        XCTAssertEqual(stats.evictedPages, 2)
        XCTAssertEqual(stats.addedPages.total, 6)
        XCTAssertEqual(stats.chargedPages.total, 4)
        XCTAssertEqual(stats.hits.total, 1)
        XCTAssertEqual(stats.misses.total, 1)
        sim.assertInvariants()
    }

    func testCapacityHoldsDuringReadahead() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1000)
        let sim = fx.simulator(CacheConfiguration(capacityPages: 10))
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        XCTAssertEqual(sim.read(fd, length: 1000 * 4096), 1000 * 4096)
        XCTAssertEqual(sim.residentPageCount, 10)
        sim.assertInvariants()
    }

    /// Two containers reading the same file: charged to the first toucher when the space is
    /// shared, to each when it is not.
    func testFirstTouchChargingSharedVersusNot() {
        for shared in [true, false] {
            let fx = Fixture()
            let file = fx.addFile(pages: 8)
            let sim = fx.simulator()
            let a = sim.registerContainer(name: "a")
            let b = sim.registerContainer(name: "b")
            if !shared {
                let own = fx.spaces.intern(AddressSpaceDescriptor(kind: .inode, image: 1, nid: 0))
                fx.resolver.perContainer[b] = [file: (own, 0)]
            }
            for container in [a, b] {
                let fd = sim.open(container, file)
                sim.read(fd, length: 8 * 4096)
                sim.close(fd)
            }
            let sa = sim.containerStatistics(a), sb = sim.containerStatistics(b)
            XCTAssertEqual(sa.addedPages.total, 8)
            XCTAssertEqual(sa.chargedPages.total, 8)
            XCTAssertEqual(sb.addedPages.total, shared ? 0 : 8, "shared \(shared)")
            XCTAssertEqual(sb.hits.total, shared ? 8 : 0)
            XCTAssertEqual(sb.misses.total, shared ? 0 : 8)
            XCTAssertEqual(sim.cacheTotals.residentPages.total, shared ? 8 : 16)
            let strip = sim.residency(of: file, in: b)
            XCTAssertTrue(strip.allSatisfy { $0.chargedTo == (shared ? a : b) })
            XCTAssertTrue(strip.allSatisfy { $0.accessedByOthers == shared })
            XCTAssertTrue(strip.allSatisfy { $0.spaceIsShared == shared })
            let sharing = sim.residentSharing()
            XCTAssertEqual(sharing.sharedPages, shared ? 8 : 0)
            XCTAssertEqual(sharing.uniquePages, shared ? 0 : 16)
            XCTAssertEqual(sharing.sharedPagesChargedTo, [shared ? 8 : 0, 0])
            sim.assertInvariants()
        }
    }

    func testDropCachesEmptiesButKeepsCumulativeCounts() {
        let fx = Fixture()
        let file = fx.addFile(pages: 8)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file)
        sim.read(fd, length: 8 * 4096)
        sim.dropCaches()
        XCTAssertEqual(sim.residentPageCount, 0)
        XCTAssertEqual(sim.containerStatistics(c).chargedPages.total, 0)
        XCTAssertEqual(sim.containerStatistics(c).addedPages.total, 8)
        sim.pread(fd, offset: 0, length: 4096)
        XCTAssertEqual(sim.containerStatistics(c).misses.total, 9) // 8 in the first read, 1 after the drop
        XCTAssertGreaterThan(sim.residentPageCount, 0)
        sim.assertInvariants()
    }

    func testRemovePagesOfOneSpace() {
        let fx = Fixture()
        let f1 = fx.addFile(pages: 4), f2 = fx.addFile(pages: 4)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        sim.pageAdd(c, f1, page: 0, count: 4)
        sim.pageAdd(c, f2, page: 0, count: 4)
        let gone = fx.key(f1, 0).space
        XCTAssertEqual(sim.removePages { key, _ in key.space == gone }, 4)
        XCTAssertEqual(sim.residentPages(of: f1), [])
        XCTAssertEqual(sim.residentPages(of: f2), pages(0..<4))
        XCTAssertEqual(sim.containerStatistics(c).evictedPages, 0)
        sim.assertInvariants()
    }

    func testPageLevelAddAndDeleteReplay() {
        let fx = Fixture()
        let file = fx.addFile(pages: 32)
        let sim = fx.simulator()
        let a = sim.registerContainer(name: "a")
        let b = sim.registerContainer(name: "b")
        XCTAssertEqual(sim.pageAdd(a, file, page: 0, count: 10), 10)
        XCTAssertEqual(sim.pageAdd(b, file, page: 8, count: 4), 2) // 8, 9 already cached
        XCTAssertEqual(sim.pageDelete(a, file, page: 3, count: 2), 2)
        XCTAssertEqual(sim.pageDelete(a, file, page: 3, count: 1), 0)
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<3) + pages(5..<12))
        XCTAssertEqual(sim.containerStatistics(a).addedPages.total, 10)
        XCTAssertEqual(sim.containerStatistics(a).chargedPages.total, 8)
        XCTAssertEqual(sim.containerStatistics(b).chargedPages.total, 2)
        XCTAssertEqual(sim.cacheTotals.hits.total + sim.cacheTotals.misses.total, 0)
        XCTAssertEqual(sim.fileStatistics(file).addedPages, 12)
        sim.assertInvariants()
    }

    func testDirectoryAndMetadataPagesAreCountedApart() {
        let fx = Fixture()
        let dir = fx.addFile(pages: 3, kind: .directory)
        let meta = fx.addFile(pages: 100, kind: .metadata)
        let file = fx.addFile(pages: 2)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        XCTAssertEqual(sim.readDirectory(c, dir), 3)
        sim.accessPages(c, meta, pages: 0..<1)
        sim.accessPages(c, meta, pages: 50..<52)
        let fd = sim.open(c, file)
        sim.read(fd, length: 100)
        let stats = sim.containerStatistics(c)
        XCTAssertEqual(stats.addedPages, CategoryCounts(data: 2, directory: 3, metadata: 3))
        XCTAssertEqual(stats.misses, CategoryCounts(data: 1, directory: 3, metadata: 3))
        XCTAssertEqual(sim.cacheTotals.residentPages.nonData, 6)
    }

    func testSpaceStatisticsRollUpByLabel() {
        let fx = Fixture()
        let blob0 = fx.spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: 0))
        let blob1 = fx.spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: 1))
        let f1 = fx.files.register(size: 4 * 4096), f2 = fx.files.register(size: 4 * 4096), f3 = fx.files.register(size: 4 * 4096)
        fx.resolver.placement = [f1: (blob0, 0), f2: (blob0, 100), f3: (blob1, 0)]
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        for f in [f1, f2, f3] { sim.pageAdd(c, f, page: 0, count: 4) }
        sim.accessPages(c, f1, pages: 0..<2)
        let byBlob = sim.spaceStatistics { $0.blob }
        XCTAssertEqual(byBlob[0]?.residentPages, 8)
        XCTAssertEqual(byBlob[0]?.hits, 2)
        XCTAssertEqual(byBlob[0]?.sharedSpaces, 1) // two files use blob 0
        XCTAssertEqual(byBlob[1]?.residentPages, 4)
        XCTAssertEqual(byBlob[1]?.sharedSpaces, 0)
        XCTAssertEqual(sim.spaceStatistics { $0.kind }[.blob]?.addedPages, 12)
    }

    func testTimeSeriesSamplesAtIntervalBoundaries() {
        let fx = Fixture()
        let file = fx.addFile(pages: 8)
        let sim = fx.simulator(CacheConfiguration(sampleInterval: 1))
        let c = sim.registerContainer(name: "a")
        sim.advance(to: 0)
        sim.pageAdd(c, file, page: 0, count: 2)
        sim.advance(to: 0.5)
        sim.accessPages(c, file, pages: 0..<3) // 2 hits, 1 miss
        sim.advance(to: 2.25)
        XCTAssertEqual(sim.samples.map(\.time), [0, 1, 2])
        XCTAssertEqual(sim.samples.map { $0.chargedPages[0] }, [0, 3, 3])
        XCTAssertEqual(sim.samples[1].chargedBytes(of: c), 3 * 4096)
        XCTAssertEqual(sim.samples[1].hitRate(of: c, since: sim.samples[0])!, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertNil(sim.samples[2].hitRate(of: c, since: sim.samples[1]))
    }
}
