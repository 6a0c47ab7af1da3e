import EROFS
import Foundation
import XCTest
@testable import Inspector

/// Each design's sharing rules, on real images, with expectations computed by hand from the
/// rules (not from running the model).
final class PolicyRuleTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/images").standardizedFileURL

    func catalog(_ name: String, devices: [String] = []) throws -> ImageCatalog {
        try ImageCatalog(image: Image(ImageSpec(path: Self.fixtures.appendingPathComponent(name).path,
                                                devices: devices.map { Self.fixtures.appendingPathComponent($0).path })))
    }

    func testAFileOfSeveralChunksIsNotSharedUnderBlob() throws {
        // chunk1m-blob: 1 MiB chunks in a blob; a file over 1 MiB spans several chunks.
        let c = try catalog("chunk1m-blob.erofs", devices: ["chunk1m-blob.blob"])
        let planner = PlacementPlanner(catalogs: [c], sharing: SharingIndex(fingerprints: [[:]]))
        var multi = 0, single = 0
        for i in c.regularFiles where c.entries[i].size > 0 {
            let inode = try c.image.inode(c.entries[i].nid)
            let chunks = (inode.size + (UInt64(1) << c.image.chunkBits(of: inode)) - 1) >> c.image.chunkBits(of: inode)
            let placement = try planner.placement(of: SessionFile(image: 0, nid: inode.nid), under: .blob)
            if chunks > 1 {
                multi += 1
                XCTAssertEqual(placement, .linear(.inode(image: 0, nid: inode.nid), firstPage: 0), "\(c.entries[i].path): \(chunks) chunks")
            } else if case .device(let id, let offset) = try c.image.extent(of: inode, at: 0).location {
                single += 1
                XCTAssertEqual(placement, .linear(.blob("/" + BlobIdentity.blobName(of: c.image, device: id)), firstPage: offset / 4096))
            }
        }
        XCTAssertGreaterThan(multi, 0, "the fixture has files spanning several chunks")
        XCTAssertGreaterThan(single, 0)
    }

    func testBlocksSmallerThanAPageAreNeverSharedUnderBlob() throws {
        let c = try catalog("plain-b512.erofs")
        XCTAssertEqual(c.image.blockSize, 512)
        for i in c.regularFiles {
            XCTAssertNil(try BlobIdentity.placement(c.image, c.image.inode(c.entries[i].nid)))
        }
    }

    func testEqualFingerprintsWithDifferentSizesAreNotShared() throws {
        let c = try catalog("plain.erofs")
        let files = c.regularFiles.filter { c.entries[$0].size > 0 }
        let sizes = Dictionary(grouping: files, by: { c.entries[$0].size })
        let a = try XCTUnwrap(files.first)
        let sameSize = try XCTUnwrap(files.first { $0 != a && c.entries[$0].size == c.entries[a].size } ?? files.dropFirst().first)
        let otherSize = try XCTUnwrap(files.first { c.entries[$0].size != c.entries[a].size })
        _ = sizes
        let fp = Array("sha256:".utf8) + Array(repeating: UInt8(7), count: 32)
        // Two catalogs of the same image, so "other image" sharing is what is tested.
        var second: [UInt64: [UInt8]] = [:]
        second[c.entries[sameSize].nid] = fp
        second[c.entries[otherSize].nid] = fp
        let sharing = SharingIndex(fingerprints: [[c.entries[a].nid: fp], second])
        let planner = PlacementPlanner(catalogs: [c, c], sharing: sharing)
        let pa = try planner.placement(of: SessionFile(image: 0, nid: c.entries[a].nid), under: .inode)
        let pOther = try planner.placement(of: SessionFile(image: 1, nid: c.entries[otherSize].nid), under: .inode)
        XCTAssertNotEqual(pa, pOther, "same fingerprint, different i_size: the kernel refuses to share")
        if c.entries[sameSize].size == c.entries[a].size {
            XCTAssertEqual(pa, try planner.placement(of: SessionFile(image: 1, nid: c.entries[sameSize].nid), under: .inode))
        }
        // Different domains never share.
        let split = PlacementPlanner(catalogs: [c, c], sharing: sharing, domains: [1: "other"])
        XCTAssertNotEqual(try split.placement(of: SessionFile(image: 0, nid: c.entries[a].nid), under: .inode),
                          try split.placement(of: SessionFile(image: 1, nid: c.entries[a].nid), under: .inode))
    }

    func testDirectoriesStayInTheirOwnInodeUnderEveryDesign() throws {
        let c = try catalog("merged2.erofs")
        let sharing = try SharingIndex(catalogs: [c], fingerprintSource: .compute)
        let planner = PlacementPlanner(catalogs: [c], sharing: sharing)
        for i in c.directories {
            let nid = c.entries[i].nid
            for design in SharingDesign.allCases {
                XCTAssertEqual(try planner.placement(of: SessionFile(image: 0, nid: nid), under: design),
                               .linear(.inode(image: 0, nid: nid), firstPage: 0), "\(c.entries[i].path) under \(design)")
            }
        }
    }

    /// With computed fingerprints the sharing scan hashes each content's pages as it reads it;
    /// the chunk design's page ids from those digests are the ids of hashing the files' bytes
    /// (a stored-fingerprint scan hashes nothing, so its planner reads every file), in the same
    /// order of first sight, for chunked, plain and compressed images.
    func testChunkPageIDsFromTheScanMatchHashingTheFiles() throws {
        let catalogs = try [catalog("merged2.erofs"), catalog("z-lz4hc-dedupe.erofs"), catalog("chunk64k.erofs")]
        let scanned = PlacementPlanner(catalogs: catalogs, sharing: try SharingIndex(catalogs: catalogs, fingerprintSource: .compute))
        let read = PlacementPlanner(catalogs: catalogs, sharing: try SharingIndex(catalogs: catalogs, fingerprintSource: .stored))
        var files = 0
        for (image, c) in catalogs.enumerated() {
            for i in c.regularFiles where c.entries[i].size > 0 {
                let file = SessionFile(image: image, nid: c.entries[i].nid)
                let expected = try read.placement(of: file, under: .chunk)
                guard case .perPage(let ids) = expected else { return XCTFail("\(c.entries[i].path): \(expected)") }
                XCTAssertEqual(ids.count, Int((c.entries[i].size + 4095) / 4096), c.entries[i].path)
                XCTAssertEqual(try scanned.placement(of: file, under: .chunk), expected, c.entries[i].path)
                files += 1
            }
        }
        XCTAssertGreaterThan(files, 10)
        XCTAssertEqual(scanned.contentPages.distinctPages, read.contentPages.distinctPages)
    }

    /// The scan reads and hashes files on every core; its result does not depend on scheduling.
    func testTheSharingScanIsTheSameEveryTime() throws {
        let catalogs = try [catalog("merged2.erofs"), catalog("merged3.erofs"), catalog("layer-base.erofs")]
        let first = try SharingIndex(catalogs: catalogs, fingerprintSource: .compute)
        XCTAssertFalse(first.groups.isEmpty)
        for _ in 0..<3 {
            let again = try SharingIndex(catalogs: catalogs, fingerprintSource: .compute)
            XCTAssertEqual(again.groups.map(\.sharers), first.groups.map(\.sharers))
            XCTAssertEqual(again.groups.map(\.length), first.groups.map(\.length))
            XCTAssertEqual(again.fingerprints, first.fingerprints)
            XCTAssertEqual(again.sharedWithOtherImages, first.sharedWithOtherImages)
        }
    }
}
