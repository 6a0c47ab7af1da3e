import DeterministicRandom
import EROFS
import Foundation
import XCTest

/// Compressed images built at test time with Debian's erofs-utils 1.5 (LZ4 and LZ4HC, compact
/// and legacy full indexes, big pclusters, ztailpacking), compared with their source trees, with
/// random reads of the source files, and (as root) with the kernel's view of the same image.
final class CompressedMkfs15Tests: XCTestCase {
    static var workspace: String?
    static var source: String { workspace! + "/src" }

    override class func setUp() {
        super.setUp()
        guard let dir = try? Shell.temporaryDirectory("mkfs15-z") else { return }
        workspace = dir
        do {
            try SourceTree.make(at: dir + "/src")
            try writeCompressibleFiles(at: dir + "/src")
        } catch { print("cannot build the source tree: \(error)") }
    }

    override class func tearDown() {
        if let workspace, ProcessInfo.processInfo.environment["KEEP"] == nil { try? FileManager.default.removeItem(atPath: workspace) }
        super.tearDown()
    }

    /// Files long enough for many pclusters: text, text mixed with random runs, zeros.
    static func writeCompressibleFiles(at root: String) throws {
        var rng = SplitMix64(seed: 15)
        let words = (0..<80).map { _ in String((0..<Int(2 + rng.next() % 8)).map { _ in Character(UnicodeScalar(UInt8(97 + rng.next() % 16))) }) }
        func text(_ n: Int) -> [UInt8] {
            var out = [UInt8]()
            while out.count < n { out += Array((words[Int(rng.next() % 80)] + (rng.next() % 10 == 0 ? "\n" : " ")).utf8) }
            return Array(out.prefix(n))
        }
        var mixed = [UInt8]()
        while mixed.count < 1_500_000 { mixed += rng.next() % 10 < 7 ? text(Int(1000 + rng.next() % 30000)) : rng.bytes(Int(100 + rng.next() % 15000)) }
        FileManager.default.createFile(atPath: root + "/z-mixed.bin", contents: Data(mixed.prefix(1_500_000)))
        FileManager.default.createFile(atPath: root + "/z-text.txt", contents: Data(text(700_001)))
        FileManager.default.createFile(atPath: root + "/z-zeros.bin", contents: Data(count: 500_000))
    }

    private func build(_ name: String, _ options: [String]) throws -> Image {
        let mkfs = try Shell.mkfs15()
        let path = Self.workspace! + "/\(name).erofs"
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.source + "/z-mixed.bin"), "source tree missing at \(Self.source)")
        try Shell.check(mkfs, ["--quiet"] + options + [path, Self.source])
        return try Image(path: path)
    }

    /// The whole tree matches, random slices of the long files match, and returns the extents of z-mixed.bin.
    @discardableResult
    private func check(_ image: Image, layout expected: DataLayout, file: StaticString = #filePath, line: UInt = #line) throws -> [DataExtent] {
        try TreeComparison.assertImageMatches(image, source: Self.source)
        var rng = SplitMix64(seed: 99)
        for path in ["/z-mixed.bin", "/z-text.txt", "/z-zeros.bin", "/medium.bin", "/text/compressible.txt"] {
            let inode = try image.resolve(path)
            let source = try XCTUnwrap(FileManager.default.contents(atPath: Self.source + path))
            for _ in 0..<40 {
                let offset = Int(rng.next() % UInt64(source.count))
                let count = Int(rng.next() % UInt64(min(source.count - offset, 200_000))) + 1
                let bytes = try image.read(inode, at: UInt64(offset), count: count)
                XCTAssertEqual(bytes, Array(source[offset..<(offset + count)]), "\(path): \(count) bytes at \(offset)", file: file, line: line)
            }
        }
        let mixed = try image.resolve("/z-mixed.bin")
        XCTAssertEqual(mixed.layout, expected, file: file, line: line)
        let extents = try image.extents(of: mixed)
        XCTAssertGreaterThan(extents.count, 5, file: file, line: line)
        return extents
    }

    private func kinds(_ extents: [DataExtent]) -> Set<String> {
        Set(extents.compactMap { if case .compressed(let c) = $0.location { return c.kind.name } else { return nil } })
    }

    func testLZ4CompactIndexes() throws {
        let image = try build("lz4", ["-zlz4"])
        XCTAssertTrue(image.superblock.incompat.contains(.zeroPadding))
        let extents = try check(image, layout: .compressedCompact)
        XCTAssertTrue(kinds(extents).contains("head"))
        XCTAssertTrue(kinds(extents).contains("plain"), "random runs are stored uncompressed")
    }

    func testLZ4HCLegacyFullIndexes() throws {
        let image = try build("lz4hc-legacy", ["-zlz4hc", "-Elegacy-compress"])
        try check(image, layout: .compressedFull)
    }

    func testLZ4HCBigPclusters() throws {
        let image = try build("lz4hc-C", ["-zlz4hc", "-C65536"])
        XCTAssertTrue(image.superblock.incompat.contains(.compressionConfigs))
        let extents = try check(image, layout: .compressedCompact)
        let largest = extents.map { e -> UInt64 in if case .compressed(let c) = e.location { return c.physicalLength } else { return 0 } }.max() ?? 0
        XCTAssertGreaterThan(largest, UInt64(image.blockSize), "-C65536 makes pclusters of several blocks")
    }

    func testLZ4HCBigPclustersWithTailPacking() throws {
        let image = try build("lz4hc-C-ztail", ["-zlz4hc", "-C16384", "-Eztailpacking"])
        let extents = try check(image, layout: .compressedCompact)
        var inline = 0
        try image.walk { event in
            guard case .entry(_, let inode) = event, inode.layout.isCompressed else { return }
            inline += try image.extents(of: inode).filter { if case .compressed(let c) = $0.location { return c.kind == .inline } else { return false } }.count
        }
        XCTAssertGreaterThan(inline, 0, "some tails should be inline pclusters: \(kinds(extents))")
    }

    func testCompressedImagesMatchKernelMounts() throws {
        guard getuid() == 0 else { throw XCTSkip("kernel comparison needs root (mount); skipped") }
        for (name, options) in [("k-lz4", ["-zlz4"]), ("k-legacy", ["-zlz4hc", "-Elegacy-compress"]), ("k-big", ["-zlz4hc", "-C16384", "-Eztailpacking"])] {
            let image = try build(name, options)
            let mount = try KernelMount(image: image.path, devices: [])
            defer { mount.unmount() }
            try TreeComparison.assertImageMatches(image, source: mount.mountpoint)
        }
    }
}
