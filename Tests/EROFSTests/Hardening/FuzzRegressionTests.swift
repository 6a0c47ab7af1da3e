@testable import EROFS
import Foundation
import FuzzHarness
import XCTest

/// Inputs that crashed a fuzz target or the reader, kept in `Tests/Fixtures/fuzz-regressions`.
///
/// File names say which target they belong to: `image-*` for `fuzz-image` (an image, checksum
/// recomputed by the harness), `devices-*` for `fuzz-image-devices`. Trace inputs are replayed
/// by `WorkloadTests.TraceFuzzRegressionTests`.
final class FuzzRegressionTests: XCTestCase {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/fuzz-regressions").path
    }()

    /// Opens and exercises a committed regression image as `fuzz-image` does.
    func outcome(of name: String) throws -> ImageExercise.Outcome {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name)))
        SuperblockChecksum.fix(&bytes)
        let scratch = ScratchFiles()
        return try ImageExercise().run(ImageSpec(path: scratch.write("image.erofs", bytes)))
    }

    /// Every committed input still goes through its target without a crash or an untyped error.
    func testEveryRegressionInputReplays() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder).sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name))
            if name.hasPrefix("image-") {
                _ = data.withUnsafeBytes { FuzzEntry.testImage($0) }
            } else if name.hasPrefix("devices-") {
                _ = data.withUnsafeBytes { FuzzEntry.testImageWithDevice($0) }
            }
        }
    }

    /// A metabox nid ≥ 2^59 (from z-lz4-metabox.erofs, superblock field at 0x80 set to 2^62)
    /// overflowed `nid * 32` in `metaboxInode()` and trapped. Now: `.nidOutOfRange`.
    func testHugeMetaboxNIDIsOutOfRange() throws {
        guard case .failed(let error) = try outcome(of: "image-metabox-nid-overflow.erofs") else {
            return XCTFail("a metabox nid of 2^62 must not read")
        }
        XCTAssertEqual(error.kind, .nidOutOfRange, "\(error)")
    }

    /// From the ASan campaign on compressed images: a corrupt index gave two extents of one file
    /// the same start but different ends, so the decoded-extent cache served the shorter one for
    /// the longer and the copy ran past its buffer (a heap overflow in release builds). Now heads
    /// must start inside their lcluster, the cache keys on the whole extent, and the copy is
    /// bounds-checked: every file either reads or fails with a typed error.
    func testDecodedExtentCacheNeverServesAShorterExtent() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/image-decoded-extent-cache-length.erofs")))
        SuperblockChecksum.fix(&bytes)
        let scratch = ScratchFiles()
        let image = try Image(path: scratch.write("image.erofs", bytes))
        var compressed = 0, failed: [EROFSError] = []
        try image.walk { event in
            guard case .entry(_, let inode) = event, inode.type == .regular, inode.layout.isCompressed else { return }
            compressed += 1
            do {
                for offset in stride(from: UInt64(0), to: inode.size, by: 4096) { _ = try image.read(inode, at: offset, count: 8192) }
                _ = try image.contents(of: inode)
            } catch let error as EROFSError {
                failed.append(error)
            }
        }
        XCTAssertGreaterThan(compressed, 10)
        XCTAssertFalse(failed.isEmpty, "the corrupt index must be reported")
        XCTAssertTrue(failed.allSatisfy { [.inodeInvalid, .compressionCorrupt, .blockOutOfRange, .limitExceeded].contains($0.kind) }, "\(failed)")
    }
}
