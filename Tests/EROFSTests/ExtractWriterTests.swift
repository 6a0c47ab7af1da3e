@testable import EROFS
import Foundation
import XCTest

/// The extract writer takes large files first but reports failures as a serial run would.
final class ExtractWriterTests: XCTestCase {
    /// A directory where a file goes makes that file fail. /sparse.img (3 MiB) is taken first
    /// and fails first; /exact4096, earlier in walk order, fails later and is the one reported.
    /// Files before it are written, files after it (in walk order) are not.
    func testLargeFilesGoFirstButTheFirstFailureInWalkOrderIsReported() throws {
        let dir = try Shell.temporaryDirectory("extract-writer")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SourceTree.make(at: dir + "/src")
        let path = dir + "/tree.erofs"
        try Shell.check(try Shell.mkfs15(), ["--quiet", path, dir + "/src"])
        let image = try Image(path: path)
        let out = dir + "/out"
        for name in ["/exact4096", "/sparse.img"] {
            try FileManager.default.createDirectory(atPath: out + name, withIntermediateDirectories: true)
        }
        let writer = ExtractWriter(options: ExtractOptions(restoreOwners: false, createDeviceNodes: false), threads: 1)
        for name in ["/empty", "/exact4096", "/hello.txt", "/sparse.img"] {
            try writer.add(image, try image.resolve(name), target: out + name, path: name)
        }
        XCTAssertThrowsError(try writer.finish()) { error in
            XCTAssertEqual((error as? EROFSError)?.path, "/exact4096", "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/empty"), "a file before the first failure is written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/hello.txt"), "a file after the first failure is not written")
    }

    /// A chunk-based file whose chunks are stored back to back is written in one copy and
    /// comes out the same as read through the chunk index.
    func testChunkedFileExtractsByteExact() throws {
        let dir = try Shell.temporaryDirectory("extract-chunks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        var bytes = [UInt8](repeating: 0, count: 5 * 65_536 + 123)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: (i &* 2_654_435_761) >> 13) }
        FileManager.default.createFile(atPath: dir + "/src/data.bin", contents: Data(bytes))
        let path = dir + "/chunked.erofs"
        try Shell.check(try Shell.mkfs15(), ["--quiet", "--chunksize=65536", path, dir + "/src"])
        let image = try Image(path: path)
        let inode = try image.resolve("/data.bin")
        XCTAssertEqual(inode.layout, .chunkBased)
        let first = try image.extent(of: inode, at: 0)
        XCTAssertEqual(first.length, 65_536)
        XCTAssertEqual(image.mergingFollowingChunks(of: inode, into: first, before: inode.size).length, inode.size, "the chunks are one run on disk")
        try image.extract(to: dir + "/out", options: ExtractOptions(restoreOwners: false, createDeviceNodes: false))
        XCTAssertEqual(try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/out/data.bin"))), bytes)
    }
}
