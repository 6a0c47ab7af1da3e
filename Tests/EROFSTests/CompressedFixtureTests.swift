import DeterministicRandom
import EROFS
import FixtureSupport
import Foundation
import XCTest

/// The compressed fixtures made by erofs-utils 1.9 (`z-*.erofs`): the layouts index.json claims
/// are really there, and reads at random offsets equal the same bytes of the uncompressed
/// fixture built from the same tree. (Whole-file contents are checked against the manifests
/// in FixtureImageTests, and against the kernel in FixtureKernelComparisonTests.)
final class CompressedFixtureTests: XCTestCase {
    private func fixtures() throws -> [FixtureImage] {
        let list = try FixtureIndex.compressedFixtures()
        XCTAssertGreaterThanOrEqual(list.count, 15, "index.json should list the compressed fixtures")
        return list
    }

    /// Kinds, algorithms and index formats seen over all files of an image.
    private struct Seen {
        var kinds = Set<String>(), fileKinds = Set<String>(), algorithms = Set<String>(), formats = Set<String>(), flags = Set<String>()
        var layouts = Set<DataLayout>()
        var compressedDirectories = 0
        var largestPcluster: UInt64 = 0
        /// Pclusters that more than one extent decodes (deduplicated).
        var sharedPclusters = 0
    }

    /// Every file, directory and symlink, and the packed inode (which holds the fragments).
    private func survey(_ image: Image) throws -> Seen {
        var seen = Seen()
        var inodes: [Inode] = []
        if let packed = try image.packedInode() { inodes.append(packed) }
        try image.walk { event in
            if case .entry(_, let inode) = event { inodes.append(inode) }
        }
        var users: [UInt64: Int] = [:]
        for inode in inodes where inode.size > 0 {
            seen.layouts.insert(inode.layout)
            guard let layout = try image.compressionLayout(of: inode) else { continue }
            if inode.type == .directory { seen.compressedDirectories += 1 }
            seen.formats.insert(layout.indexFormat.name)
            seen.flags.formUnion(layout.flags)
            for extent in try image.extents(of: inode) {
                guard case .compressed(let c) = extent.location else { continue }
                seen.kinds.insert(c.kind.name)
                if inode.nid != image.superblock.packedNID { seen.fileKinds.insert(c.kind.name) }
                seen.algorithms.insert(c.algorithm.name)
                if c.kind != .fragment { seen.largestPcluster = max(seen.largestPcluster, c.physicalLength) }
                if c.kind == .head || c.kind == .plain || c.kind == .dedupe { users[c.physicalOffset, default: 0] += 1 }
            }
        }
        seen.sharedPclusters = users.values.filter { $0 > 1 }.count
        return seen
    }

    func testFixturesHaveTheLayoutsTheIndexClaims() throws {
        for fixture in try fixtures() {
            let image = try fixture.open()
            let seen = try survey(image)
            let f = Set(fixture.features)
            let label = "\(fixture.file): \(seen)"
            XCTAssertFalse(seen.formats.isEmpty, "\(fixture.file) has no compressed file")
            for algorithm in ["lzma", "deflate", "zstd"] where f.contains(algorithm) {
                XCTAssertTrue(seen.algorithms.contains(algorithm), label)
            }
            if f.contains("lz4") || f.contains("lz4hc") { XCTAssertTrue(seen.algorithms.contains("lz4"), label) }
            if f.contains("compact-indexes") { XCTAssertTrue(seen.formats.contains("compact"), label) }
            if f.contains("full-indexes") { XCTAssertTrue(seen.formats.contains("full"), label) }
            if f.contains("encoded-extents") { XCTAssertTrue(seen.formats.contains("encoded-extents"), label) }
            if f.contains("inline-pcluster") || f.contains("ztailpacking") { XCTAssertTrue(seen.kinds.contains("inline"), label) }
            if f.contains("fragments") { XCTAssertTrue(seen.kinds.contains("fragment"), label) }
            if f.contains("whole-file-fragments") { XCTAssertTrue(seen.flags.contains("whole-file-fragment"), label) }
            if f.contains("all-fragments") { XCTAssertEqual(seen.fileKinds, ["fragment"], "all-fragments: every file extent lives in the packed inode") }
            if f.contains("partial-ref") { XCTAssertTrue(seen.kinds.contains("dedupe"), label) }
            if f.contains("dedupe") { XCTAssertGreaterThan(seen.sharedPclusters, 0, label) }
            if f.contains("interlaced") { XCTAssertTrue(seen.flags.contains("interlaced"), label) }
            if f.contains("big-pcluster") { XCTAssertGreaterThan(seen.largestPcluster, UInt64(image.blockSize), label) }
            if f.contains("compressed-dirs") { XCTAssertGreaterThan(seen.compressedDirectories, 0, label) }
            if f.contains("metabox") { XCTAssertNotEqual(image.rootNID & Inode.metaboxBit, 0, "\(fixture.file): root should live in the metabox") }
            if f.contains("packed-inode") || f.contains("fragments") {
                let packed = try XCTUnwrap(try image.packedInode(), fixture.file)
                XCTAssertTrue(packed.layout.isCompressed, "\(fixture.file): the packed inode is itself compressed")
            }
        }
    }

    /// Reads of random ranges (crossing extents, starting mid-pcluster, ending at EOF) equal the
    /// same ranges of the source: `plain.erofs` (the `full` tree uncompressed, itself checked
    /// against the kernel) or the `zextra` tree regenerated by gen_tree.py (deterministic).
    func testRandomReadsEqualTheSource() throws {
        let plain = try XCTUnwrap(FixtureIndex.uncompressedFixtures().first { $0.file == "plain.erofs" }).open()
        let tree = try Shell.temporaryDirectory("zextra")
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let generated = try Shell.run("python3", [FixturePaths.images + "/../gen_tree.py", "zextra", tree + "/src"])
        XCTAssertEqual(generated.status, 0, generated.output)
        var rng = SplitMix64(seed: 42)
        var reads: [String: Int] = [:]
        for fixture in try fixtures() {
            let image = try fixture.open()
            for (path, entry) in try fixture.loadManifest().regularFiles where (entry.size ?? 0) > 0 {
                let size = UInt64(entry.size!)
                let ours = try image.resolve(path)
                let source: (UInt64, Int) throws -> [UInt8]
                if fixture.manifest.hasSuffix("zextra.json") {
                    let bytes = try XCTUnwrap(FileManager.default.contents(atPath: tree + "/src" + path), path)
                    XCTAssertEqual(Hex.sha256(Array(bytes)), entry.sha256, "regenerated \(path) differs from the manifest")
                    source = { offset, count in Array(bytes[Int(offset)..<Int(offset) + count]) }
                } else {
                    let theirs = try plain.resolve(path)
                    source = { offset, count in try plain.read(theirs, at: offset, count: count) }
                }
                for _ in 0..<(size > 20_000 ? 16 : 2) {
                    let offset = rng.next() % size
                    let count = Int(rng.next() % min(size - offset, 150_000)) + 1
                    if try image.read(ours, at: offset, count: count) != source(offset, count) {
                        XCTFail("\(fixture.file) \(path): \(count) bytes at \(offset) differ")
                        break
                    }
                    reads[fixture.manifest, default: 0] += 1
                }
            }
        }
        XCTAssertGreaterThan(reads["manifests/full.json", default: 0], 2000)
        XCTAssertGreaterThan(reads["manifests/zextra.json", default: 0], 400)
    }

    /// A 4 KiB read decodes only the pcluster holding it; a read across two extents decodes two;
    /// a repeated read is served from the decoded-extent cache.
    func testSmallReadsDecodeOnlyThePclustersTheyNeed() throws {
        let fixture = try XCTUnwrap(FixtureIndex.compressedFixtures().first { $0.file == "z-lz4hc.erofs" })
        let image = try fixture.open()
        let file = try image.resolve("/files/medium300k.txt")
        let extents = try image.extents(of: file)
        XCTAssertGreaterThan(extents.count, 10)
        let middle = try XCTUnwrap(extents.first { $0.logicalOffset > 100_000 && $0.length > 8192 })
        let before = image.decompressionStatistics
        _ = try image.read(file, at: middle.logicalOffset + 1000, count: 4096)
        XCTAssertEqual(image.decompressionStatistics.pclustersDecoded - before.pclustersDecoded, 1)
        _ = try image.read(file, at: middle.logicalOffset + 2000, count: 4096)
        XCTAssertEqual(image.decompressionStatistics.pclustersDecoded - before.pclustersDecoded, 1, "the same extent again comes from the cache")
        _ = try image.read(file, at: middle.logicalEnd - 100, count: 4096)
        XCTAssertEqual(image.decompressionStatistics.pclustersDecoded - before.pclustersDecoded, 2, "crossing into the next extent decodes one more")
        XCTAssertLessThanOrEqual(image.decompressionStatistics.bytesOut - before.bytesOut, middle.length * 3)
    }

    func testInfoListsAlgorithmsAndConfigs() throws {
        let expected: [String: String] = ["z-lzma.erofs": "lzma", "z-deflate.erofs": "deflate", "z-libdeflate.erofs": "deflate",
                                          "z-zstd.erofs": "zstd", "z-lz4hc-C65536.erofs": "lz4"]
        for fixture in try fixtures() {
            guard let name = expected[fixture.file] else { continue }
            let infos = try fixture.open().compressionAlgorithms
            XCTAssertEqual(infos.map(\.name), [name], fixture.file)
            XCTAssertFalse(infos[0].settings.contains { $0.key == "error" }, "\(fixture.file): \(infos)")
            if name == "lz4" { XCTAssertEqual(infos[0].settings.first { $0.key == "max_pcluster_blocks" }?.value, "16", "-C65536 with 4 KiB blocks") }
        }
    }
}
