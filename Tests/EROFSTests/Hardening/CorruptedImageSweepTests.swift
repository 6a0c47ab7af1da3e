@testable import EROFS
import Foundation
import FuzzHarness
import XCTest

/// Systematic byte edits of real images at every metadata structure: each byte of the
/// superblock, device slots, several inodes, xattr headers, dirents and names, chunk indexes and
/// compressed map headers is set to 0x00, 0xFF and its value + 1. Every edited image must either
/// read or fail with a typed `EROFSError` (`ImageExercise` rethrows anything else), quickly and
/// without unbounded memory.
///
/// Superblock edits are tried twice: as is (the checksum catches them) and with the checksum
/// recomputed so the edit reaches the parser; other edits always get a recomputed checksum.
final class CorruptedImageSweepTests: XCTestCase {
    /// One fixture to sweep, with the blobs it needs.
    struct Subject {
        var image: String
        var device: String?
        /// Blobs are found by tag (UUID) among the fixtures instead of being given.
        var blobsByTag = false
    }

    static let subjects = [
        Subject(image: "plain.erofs"),
        Subject(image: "chunkidx64k-blob.erofs", device: "chunkidx64k-blob.blob"),
        Subject(image: "tari.erofs", device: "tari-layer.tar"),
        Subject(image: "digest.erofs"),
        Subject(image: "z-lz4.erofs"),
        Subject(image: "z-lz4hc-dedupe-fragments.erofs"),
        Subject(image: "z-zstd-C65536-ztailpacking.erofs"),
        Subject(image: "z-lzma-C131072-48bit.erofs"),
        Subject(image: "merged3.erofs", blobsByTag: true),
    ]

    /// Slowest single edited image accepted.
    static let slowestEdit: TimeInterval = 2

    func testEveryEditReadsOrFailsWithATypedError() throws {
        let scratch = ScratchFiles()
        // Edits are in metadata: reading a little file data per image is enough and keeps the
        // sweep fast in debug builds.
        var budget = ImageExercise.Budget()
        budget.bytes = 256 << 10
        let exercise = ImageExercise(budget: budget)
        var tally: [String: Int] = [:]
        var edits = 0
        let rssBefore = maxResidentBytes()
        let started = Date()
        for subject in Self.subjects {
            let original = try ImageEdits.load(subject.image)
            var devices: [String] = []
            if let device = subject.device {
                devices = [scratch.write("device.blob", try ImageEdits.load(device))]
            }
            let blobs = subject.blobsByTag ? ImageEdits.fixtures : nil
            let pristinePath = scratch.write("image.erofs", original)
            let regions = try ImageEdits.regions(of: Image(ImageSpec(path: pristinePath, devices: devices, blobDirectory: blobs)), inodeLimit: 8)
            XCTAssertGreaterThan(regions.count, 3, "\(subject.image): too few structures found: \(regions)")
            print("\(subject.image): \(regions.map(\.name).joined(separator: ", "))")
            let baseline = try exercise.run(ImageSpec(path: pristinePath, devices: devices, blobDirectory: blobs))
            guard case .read = baseline else { return XCTFail("\(subject.image) does not read: \(baseline)") }
            var image = original
            for region in regions where region.range.upperBound <= image.count {
                for offset in region.range {
                    let old = original[offset]
                    for value in Set([0x00, 0xFF, old &+ 1]) where value != old {
                        for fixChecksum in region.name == "superblock" ? [false, true] : [true] {
                            image[offset] = value
                            if fixChecksum { SuperblockChecksum.fix(&image) }
                            let path = scratch.write("image.erofs", image)
                            let t0 = Date()
                            let outcome = try exercise.run(ImageSpec(path: path, devices: devices, blobDirectory: blobs))
                            let elapsed = Date().timeIntervalSince(t0)
                            XCTAssertLessThan(elapsed, Self.slowestEdit, "\(subject.image) \(region) byte \(offset) = \(value): \(elapsed) s")
                            switch outcome {
                            case .read: tally["read", default: 0] += 1
                            case .failed(let error): tally[error.kind.rawValue, default: 0] += 1
                            }
                            edits += 1
                            image = original
                        }
                    }
                }
            }
        }
        let grown = maxResidentBytes() - rssBefore
        print("corrupted-image sweep: \(edits) edits in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, max RSS +\(grown >> 20) MiB: \(tally.sorted { $0.key < $1.key })")
        XCTAssertGreaterThan(edits, 3000)
        XCTAssertGreaterThan(tally["read", default: 0], 0, "some edits (names, times) must still read")
        XCTAssertLessThan(grown, 512 << 20, "the sweep grew the process by \(grown >> 20) MiB")
    }
}

/// The process's peak resident set size in bytes (getrusage).
func maxResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
