import XCTest
@testable import PageCacheModel

/// Several policies over one event stream.
final class MultiPolicyTests: XCTestCase {
    /// Two containers, each with its own copy of a 16-page file: per-inode spaces under "none",
    /// one blob space under "blob". Reading both saves half under "blob".
    func testSavingsOfASharedBlobAgainstPerInode() {
        let files = FileRegistry(), spaces = AddressSpaceRegistry()
        let f1 = files.register(size: 16 * 4096, image: 0, nid: 40)
        let f2 = files.register(size: 16 * 4096, image: 1, nid: 40)
        let dir = files.register(size: 4096, kind: .directory, image: 0, nid: 1)
        let none = TableResolver(), blob = TableResolver()
        for (f, image) in [(f1, 0), (f2, 1)] {
            none.placement[f] = (spaces.intern(AddressSpaceDescriptor(kind: .inode, image: image, nid: 40)), 0)
        }
        let blobSpace = spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: 7, name: "base"))
        blob.placement = [f1: (blobSpace, 256), f2: (blobSpace, 256)]
        let dirSpace = spaces.intern(AddressSpaceDescriptor(kind: .directory, image: 0, nid: 1))
        none.placement[dir] = (dirSpace, 0)
        blob.placement[dir] = (dirSpace, 0)

        let multi = MultiPolicySimulator(files: files, spaces: spaces, policies: [("none", none), ("blob", blob)])
        let a = multi.registerContainer(name: "a"), b = multi.registerContainer(name: "b")
        multi.readDirectory(a, dir)
        for (c, f) in [(a, f1), (b, f2)] {
            let fd = multi.open(c, f)
            multi.read(fd, length: 1 << 20)
            multi.close(fd)
        }
        XCTAssertEqual(multi.policies, ["none", "blob"])
        XCTAssertEqual(multi["none"]!.cacheTotals.addedPages.total, 33)
        XCTAssertEqual(multi["blob"]!.cacheTotals.addedPages.total, 17)
        let savings = multi.savings(baseline: "none")!
        XCTAssertEqual(savings.map(\.policy), ["none", "blob"])
        XCTAssertEqual(savings[0].savedBytes, 0)
        XCTAssertEqual(savings[1].savedBytes, 16 * 4096)
        XCTAssertEqual(savings[1].containerBytes, [17 * 4096, 0])
        XCTAssertEqual(savings[1].baselineContainerBytes, [17 * 4096, 16 * 4096])
        XCTAssertEqual(savings[1].savedFraction!, 16.0 / 33.0, accuracy: 1e-9)
        for s in multi.simulators { s.assertInvariants() }
        // Roll-ups see only the spaces each policy used, though the registry is shared.
        XCTAssertEqual(multi["blob"]!.spaceStatistics { $0.kind }[.blob]?.addedPages, 16)
        XCTAssertEqual(multi["blob"]!.spaceStatistics { $0.kind }[.blob]?.sharedSpaces, 1)
        XCTAssertNil(multi["none"]!.spaceStatistics { $0.kind }[.blob])
        XCTAssertEqual(multi["none"]!.spaceStatistics { $0.image }[1]?.addedPages, 16)
        XCTAssertTrue(multi["blob"]!.isShared(blobSpace))
    }

    func testHandlesAgreeAcrossPolicies() {
        let fx = Fixture()
        let file = fx.addFile(pages: 4)
        let multi = MultiPolicySimulator(files: fx.files, spaces: fx.spaces, policies: [("x", fx.resolver), ("y", fx.resolver)])
        let c = multi.registerContainer(name: "a")
        let h1 = multi.open(c, file), h2 = multi.open(c, file)
        multi.close(h1)
        let h3 = multi.open(c, file)
        XCTAssertEqual(h3, h1)
        XCTAssertNotEqual(h2, h3)
        let vma = multi.mmap(h2, length: 4 * 4096)
        multi.fault(vma, page: 1)
        multi.touch(vma, page: 2)
        XCTAssertEqual(multi.totals.map { $0.totals.residentPages.total }, [4, 4])
    }
}
