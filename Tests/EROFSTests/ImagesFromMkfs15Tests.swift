import EROFS
import Foundation
import XCTest

/// Images built at test time with Debian's erofs-utils 1.5, compared with their source trees.
final class ImagesFromMkfs15Tests: XCTestCase {
    static var workspace: String?
    static var source: String { workspace! + "/src" }

    override class func setUp() {
        super.setUp()
        guard let dir = try? Shell.temporaryDirectory("mkfs15") else { return }
        workspace = dir
        do { try SourceTree.make(at: dir + "/src") } catch { print("cannot build the source tree: \(error)") }
    }

    override class func tearDown() {
        if let workspace, ProcessInfo.processInfo.environment["KEEP"] == nil { try? FileManager.default.removeItem(atPath: workspace) }
        super.tearDown()
    }

    private func build(_ name: String, _ options: [String]) throws -> String {
        let mkfs = try Shell.mkfs15()
        let image = Self.workspace! + "/\(name).erofs"
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.source + "/hello.txt"), "source tree missing at \(Self.source)")
        try Shell.check(mkfs, ["--quiet"] + options + [image, Self.source])
        return image
    }

    func testDefaultLayoutMatchesSource() throws {
        let path = try build("default", [])
        let image = try Image(path: path)
        XCTAssertEqual(image.superblock.blockSize, 4096)
        try TreeComparison.assertImageMatches(image, source: Self.source)
    }

    func testNoInlineDataMatchesSource() throws {
        let image = try Image(path: try build("noinline", ["-Enoinline_data"]))
        try TreeComparison.assertImageMatches(image, source: Self.source)
    }

    func testCompactAndExtendedInodesMatchSource() throws {
        // uid 70000 cannot be compact, so make everything root-owned.
        let compact = try Image(path: try build("compact", ["-Eforce-inode-compact", "--ignore-mtime", "--all-root"]))
        XCTAssertFalse(try compact.rootInode().isExtended)
        try TreeComparison.assertImageMatches(compact, source: Self.source, options: .init(compareOwners: false, compareMtime: false))
        let extended = try Image(path: try build("extended", ["-Eforce-inode-extended"]))
        XCTAssertTrue(try extended.rootInode().isExtended)
        try TreeComparison.assertImageMatches(extended, source: Self.source)
    }

    func testChunkBlockMapMatchesSource() throws {
        let image = try Image(path: try build("blockmap", ["--chunksize=8192"]))
        try TreeComparison.assertImageMatches(image, source: Self.source)
        let medium = try image.resolve("/medium.bin")
        XCTAssertEqual(medium.layout, .chunkBased)
        XCTAssertEqual(medium.chunkFormat & 0x20, 0, "1.5 --chunksize without indexes writes a block map")
    }

    func testChunkIndexesWithBlobMatchSource() throws {
        let path = try build("blob", ["--chunksize=4096", "-Eforce-chunk-indexes", "--blobdev=\(Self.workspace!)/blob.bin"])
        XCTAssertThrowsError(try Image(path: path)) { error in
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMissing, "1.5 writes an all-zero device slot, so the blob must be given")
        }
        let image = try Image(ImageSpec(parsing: "\(path),device=\(Self.workspace!)/blob.bin"))
        try TreeComparison.assertImageMatches(image, source: Self.source)
        let medium = try image.resolve("/medium.bin")
        let extents = try image.extents(of: medium)
        XCTAssertEqual(extents.count, 74, "300001 bytes in 4 KiB chunks")
        XCTAssertTrue(extents.allSatisfy { if case .device(1, _) = $0.location { return true } else { return false } })
        // The two duplicate files are deduplicated by mkfs: same blob blocks.
        let one = try image.extents(of: try image.resolve("/dup/one")).map(\.location)
        let two = try image.extents(of: try image.resolve("/dup/two")).map(\.location)
        XCTAssertEqual(one, two)
    }

    func testSparseFileChunksBecomeHoles() throws {
        let image = try Image(path: try build("sparse", ["--chunksize=65536"]))
        let sparse = try image.resolve("/sparse.img")
        // 1.5 deduplicates the all-zero chunks into one stored chunk (1.9 writes holes instead).
        let extents = try image.extents(of: sparse)
        XCTAssertEqual(extents.count, 49, "3 MiB + 2 bytes in 64 KiB chunks")
        XCTAssertEqual(Set(extents.map(\.location)).count, 5, "4 chunks with data, and all zero chunks share one")
        let bytes = try image.read(sparse, at: 1_048_576 + 100, count: 12)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "data@1048676")
    }

    func testExtractEqualsSourceAndFsckExtract() throws {
        let path = try build("extract", [])
        let image = try Image(path: path)
        let out = Self.workspace! + "/extracted"
        let summary = try image.extract(to: out)
        XCTAssertGreaterThan(summary.files, 600)
        XCTAssertEqual(summary.hardLinks, 1)
        try TreeComparison.assertTreesEqual(Self.source, out)
        if let fsck = Shell.which("fsck.erofs") {
            let reference = Self.workspace! + "/fsck-extracted"
            try Shell.check(fsck, ["--extract=\(reference)", path])
            // fsck.erofs 1.5 chowns after chmod, which drops setuid/setgid bits: compare the rest.
            try TreeComparison.assertTreesEqual(reference, out, modeMask: 0o171777)
        }
    }

    func testLookupFindsEveryNameInLargeDirectory() throws {
        let image = try Image(path: try build("lookup", []))
        let many = try image.resolve("/many")
        let entries = try image.readDirectory(many)
        XCTAssertEqual(entries.count, 602)
        XCTAssertGreaterThan(many.size, 4096 * 3, "the directory spans several blocks")
        for entry in entries {
            XCTAssertEqual(try image.lookup(entry.nameBytes, in: many)?.nid, entry.nid, entry.name)
        }
        XCTAssertNil(try image.lookup("entry-9999", in: many))
        XCTAssertNil(try image.lookup("0", in: many))
        XCTAssertNil(try image.lookup("zzz", in: many))
    }

    func testSymlinksResolveInsideTheImage() throws {
        let image = try Image(path: try build("symlinks", []))
        XCTAssertEqual(try image.resolve("/links/relative", followFinalSymlink: true).nid, try image.resolve("/hello.txt").nid)
        XCTAssertEqual(try image.resolve("/links/absolute", followFinalSymlink: true).size, UInt64(44 * 3000))
        XCTAssertEqual(try image.resolve("/links/loopdir/relative", followFinalSymlink: true).nid, try image.resolve("/hello.txt").nid)
        XCTAssertThrowsError(try image.resolve("/links/dangling", followFinalSymlink: true)) { XCTAssertEqual(($0 as? EROFSError)?.kind, .notFound) }
        XCTAssertEqual(try image.resolve("/links/dangling").type, .symlink)
    }
}
