@testable import EROFS
import Foundation
import FuzzHarness
import XCTest

/// `extract` writes only below its destination, whatever names an image holds.
final class ExtractContainmentTests: XCTestCase {
    /// `plain.erofs` with the dirent name `/files/block4096.bin` rewritten to `../../escaped`
    /// (same length, still sorted after ".."). Before the fix, `extract` wrote the file two
    /// levels above its destination. Names with '/' are now rejected as corrupt dirents.
    func testDirentNameWithSlashCannotEscapeTheDestination() throws {
        let scratch = ScratchFiles()
        var bytes = try ImageEdits.load("plain.erofs")
        let pristine = try Image(ImageSpec(path: scratch.write("pristine.erofs", bytes)))
        let dir = try pristine.resolve("/files")
        let block = try pristine.read(dir, at: 0, count: pristine.blockSize)
        let entries = try pristine.parseDirectoryBlock(block, blockIndex: 0, nid: dir.nid)
        let index = try XCTUnwrap(entries.firstIndex { $0.name == "block4096.bin" })
        let nameOffset = Int(block.le16(12 * index + 8))
        guard case .inline(let at) = try pristine.extent(of: dir, at: 0).location else { return XCTFail("expected an inline directory") }
        let evil = Array("../../escaped".utf8)
        XCTAssertEqual(evil.count, "block4096.bin".utf8.count)
        for (k, byte) in evil.enumerated() { bytes[Int(at) + nameOffset + k] = byte }
        SuperblockChecksum.fix(&bytes)
        let image = try Image(ImageSpec(path: scratch.write("edited.erofs", bytes)))

        let root = scratch.directory + "/out"
        let destination = root + "/a/b"
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertThrowsError(try image.extract(to: destination, options: ExtractOptions(restoreOwners: false, createDeviceNodes: false))) { error in
            XCTAssertEqual((error as? EROFSError)?.kind, .direntNameOffset, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/a/escaped"), "extract wrote outside its destination")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/escaped"), "extract wrote outside its destination")
    }
}
