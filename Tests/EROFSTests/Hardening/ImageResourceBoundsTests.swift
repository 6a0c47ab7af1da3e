@testable import EROFS
import Foundation
import FuzzHarness
import XCTest

/// Real images edited to claim huge sizes, counts and cycles (edits derived from the pristine
/// image with the reader itself, see `ImageEdits`): reading them stays within time and memory
/// bounds, and errors say which limit was hit.
final class ImageResourceBoundsTests: XCTestCase {
    let scratch = ScratchFiles()

    /// `plain.erofs` with `edit` applied (checksum recomputed), opened.
    func edited(_ name: String = "plain.erofs", _ edit: (inout [UInt8], Image) throws -> Void) throws -> Image {
        var bytes = try ImageEdits.load(name)
        let pristine = try Image(ImageSpec(path: scratch.write("pristine.erofs", bytes)))
        try edit(&bytes, pristine)
        SuperblockChecksum.fix(&bytes)
        return try Image(ImageSpec(path: scratch.write("edited.erofs", bytes)))
    }

    /// Runs `body`, checking it takes under `seconds` and grows the peak RSS by under 256 MiB.
    func bounded<T>(seconds: TimeInterval = 10, _ body: () throws -> T) rethrows -> T {
        let rss = maxResidentBytes()
        let start = Date()
        let result = try body()
        XCTAssertLessThan(Date().timeIntervalSince(start), seconds)
        let grown = maxResidentBytes() - rss
        XCTAssertLessThan(grown, 256 << 20, "grew the process by \(grown >> 20) MiB")
        return result
    }

    func put(_ value: UInt64, bytes count: Int, at offset: Int, in image: inout [UInt8]) {
        for k in 0..<count { image[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    func testSparseFileClaimingMaximumSizeReadsInPiecesAndRefusesWholeReads() throws {
        var target: Inode?
        let image = try edited { bytes, pristine in
            let file = try pristine.resolve("/files/medium300k.txt")
            XCTAssertEqual(file.type, .regular)
            // Make it a flat-plain file with no data block (a hole) of the largest size the layout allows.
            let at = Int(file.location)
            let format = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
            put(UInt64(format & ~0b1110), bytes: 2, at: at, in: &bytes)
            put(file.isExtended ? UInt64(Int64.max) : UInt64(UInt32.max), bytes: file.isExtended ? 8 : 4, at: at + 8, in: &bytes)
            put(UInt64(UInt32.max), bytes: 4, at: at + 16, in: &bytes)
            target = file
        }
        let file = try image.inode(try XCTUnwrap(target).nid)
        XCTAssertGreaterThanOrEqual(file.size, UInt64(UInt32.max))
        try bounded {
            XCTAssertEqual(try image.read(file, at: file.size - 10, count: 100), [UInt8](repeating: 0, count: 10))
            XCTAssertEqual(try image.extents(of: file).count, 1)
            XCTAssertThrowsError(try image.contents(of: file)) { error in
                XCTAssertEqual((error as? EROFSError)?.kind, .limitExceeded)
                XCTAssertTrue("\(error)".contains("1073741824-byte limit"), "\(error)")
            }
            guard case .read(let stats) = try ImageExercise().run(ImageSpec(path: image.path)) else { return XCTFail() }
            XCTAssertEqual(stats.bytes, ImageExercise.Budget().bytes, "the exercise stops at its byte budget")
        }
    }

    func testSuperblockClaimingBillionsOfInodesAndBlocksReadsAsBefore() throws {
        let baseline = try ImageExercise().run(ImageSpec(path: scratch.write("baseline.erofs", try ImageEdits.load("plain.erofs"))))
        let image = try edited { bytes, _ in
            put(UInt64.max, bytes: 8, at: 1024 + 0x10, in: &bytes)
            put(UInt64(UInt32.max), bytes: 4, at: 1024 + 0x24, in: &bytes)
        }
        XCTAssertEqual(image.superblock.inodeCount, UInt64.max)
        let outcome = try bounded { try ImageExercise().run(ImageSpec(path: image.path)) }
        XCTAssertEqual(outcome, baseline, "the counts are informational; nothing is sized from them")
    }

    func testInodeClaimingTheMostXattrsIsBoundedByTheFormat() throws {
        var nid: UInt64 = 0
        let image = try edited { bytes, pristine in
            var found: Inode?
            try pristine.walk { event in
                if case .entry(_, let inode) = event, found == nil, inode.xattrCount > 0 { found = inode }
            }
            let inode = try XCTUnwrap(found)
            nid = inode.nid
            put(0xFFFF, bytes: 2, at: Int(inode.location) + 2, in: &bytes)
        }
        try bounded(seconds: 2) {
            do {
                let inode = try image.inode(nid)
                XCTAssertEqual(inode.xattrAreaSize, 12 + 4 * (0xFFFF - 1), "at most 256 KiB of inline xattrs")
                _ = try image.xattrs(of: inode)
            } catch let error as EROFSError {
                XCTAssertTrue([.xattrOutOfBounds, .nidOutOfRange, .blockOutOfRange, .truncated].contains(error.kind), "\(error)")
            }
        }
    }

    func testDirectoryEntryPointingAtAnAncestorIsACycle() throws {
        let image = try edited { bytes, pristine in
            let parent = try pristine.resolve("/deep/d01")
            let entries = try pristine.readDirectory(parent)
            let index = try XCTUnwrap(entries.firstIndex { $0.name == "d02" })
            guard case .inline(let at) = try pristine.extent(of: parent, at: 0).location else {
                return XCTFail("expected an inline directory")
            }
            put(try pristine.resolve("/deep").nid, bytes: 8, at: Int(at) + 12 * index, in: &bytes)
        }
        try bounded {
            XCTAssertThrowsError(try image.walk { _ in }) { error in
                let error = error as? EROFSError
                XCTAssertEqual(error?.kind, .directoryCycle)
                XCTAssertEqual(error?.path, "/deep/d01/d02")
            }
        }
    }

    /// A real 1,000-level tree (mkfs.erofs 1.5 itself crashes near 2,000 levels, so the 4,096
    /// walk limit cannot be reached with a real image): walking and resolving stay fast.
    func testDeepRealTreeWalksAndResolvesWithinBounds() throws {
        guard Shell.which("mkfs.erofs") != nil else { throw XCTSkip("mkfs.erofs is not installed") }
        let work = try Shell.temporaryDirectory("deep")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let depth = 1000
        let leaf = work + "/src" + String(repeating: "/d", count: depth)
        try FileManager.default.createDirectory(atPath: leaf, withIntermediateDirectories: true)
        try Data("leaf".utf8).write(to: URL(fileURLWithPath: leaf + "/leaf"))
        try Shell.check("mkfs.erofs", [work + "/deep.erofs", work + "/src"])
        let image = try Image(path: work + "/deep.erofs")
        try bounded(seconds: 10) {
            var deepest = 0
            try image.walk { event in
                if case .entry(let path, _) = event { deepest = max(deepest, path.split(separator: "/").count) }
            }
            XCTAssertEqual(deepest, depth + 1)
            let file = try image.resolve(String(repeating: "/d", count: depth) + "/leaf")
            XCTAssertEqual(try image.contents(of: file), Array("leaf".utf8))
        }
    }

    func testDirectoryClaimingFourGigabytesFailsAtItsFirstMissingBlock() throws {
        var nid: UInt64 = 0
        let image = try edited { bytes, pristine in
            let dir = try pristine.resolve("/many")
            nid = dir.nid
            put(dir.isExtended ? 1 << 40 : UInt64(UInt32.max), bytes: dir.isExtended ? 8 : 4, at: Int(dir.location) + 8, in: &bytes)
        }
        try bounded(seconds: 2) {
            XCTAssertThrowsError(try image.readDirectory(try image.inode(nid))) { error in
                XCTAssertNotNil(error as? EROFSError, "\(error)")
            }
        }
    }
}
