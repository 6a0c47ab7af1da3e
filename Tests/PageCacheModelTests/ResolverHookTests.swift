import XCTest
@testable import PageCacheModel

/// A resolver that widens readahead to 8-page extents, as EROFS does for compressed files.
final class ExtentResolver: PageIdentityResolver {
    let space: AddressSpaceID
    init(space: AddressSpaceID) { self.space = space }
    func pageKey(container: ContainerID, file: FileID, page: UInt64) -> PageKey { PageKey(space: space, index: page) }
    func readaheadRange(container: ContainerID, file: FileID, pages: Range<UInt64>) -> Range<UInt64> {
        (pages.lowerBound / 8 * 8)..<((pages.upperBound + 7) / 8 * 8)
    }
}

final class ResolverHookTests: XCTestCase {
    func testReadaheadRangeWidensToExtents() {
        let files = FileRegistry(), spaces = AddressSpaceRegistry()
        let file = files.register(size: 64 * 4096)
        let sim = CacheSimulator(policy: "z", files: files, spaces: spaces,
                                 resolver: ExtentResolver(space: spaces.intern(AddressSpaceDescriptor(kind: .inode))))
        let c = sim.registerContainer(name: "a")
        let fd = sim.open(c, file, advice: .random)
        sim.pread(fd, offset: 10 * 4096, length: 4096)
        XCTAssertEqual(sim.residentPages(of: file), pages(8..<16))
        // The first window (0…3, marker 1) widens to 0…7; the marker stays on page 1.
        let fd2 = sim.open(c, file)
        sim.pread(fd2, offset: 0, length: 100)
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<16))
        XCTAssertEqual(sim.markedPages(of: file), [1])
    }

    func testPerContainerPerFileAddedPages() {
        let fx = Fixture()
        let f1 = fx.addFile(pages: 2), f2 = fx.addFile(pages: 3)
        let sim = fx.simulator()
        let a = sim.registerContainer(name: "a"), b = sim.registerContainer(name: "b")
        sim.accessPages(a, f1, pages: 0..<2)
        sim.accessPages(b, f1, pages: 0..<2) // shared space: no pages added for b
        sim.pageAdd(b, f2, page: 0, count: 3)
        XCTAssertEqual(sim.addedPages(of: f1, in: a), 2)
        XCTAssertEqual(sim.addedPages(of: f1, in: b), 0)
        XCTAssertEqual(sim.filesWithAddedPages(in: b).map(\.file), [f2])
        XCTAssertEqual(sim.filesWithAddedPages(in: b).map(\.addedPages), [3])
    }

    func testInterleavedReadersRebuildTheWindowAtAForeignMarker() {
        let fx = Fixture()
        let file = fx.addFile(pages: 1024)
        let sim = fx.simulator()
        let c = sim.registerContainer(name: "a")
        let first = sim.open(c, file)
        sim.read(first, length: 4096) // 0…3, marker on 1
        let second = sim.open(c, file)
        sim.pread(second, offset: 4096, length: 4096)
        // The second file's state is empty (expected marker 0 ≠ 1): next miss after 1 is 4,
        // size = next(4 − 1 + 1 = 4) = 8 from page 4, all async: marker on 4.
        XCTAssertEqual(sim.residentPages(of: file), pages(0..<12))
        XCTAssertEqual(sim.markedPages(of: file), [4])
        XCTAssertEqual(sim.readaheadState(of: second).start, 4)
        XCTAssertEqual(sim.readaheadState(of: first).start, 0)
    }
}
