import EROFS
import Foundation
import XCTest
@testable import Inspector

/// The page cache model over compressed images: two containers from the same tree packed with
/// LZ4HC and with Zstandard (Tests/Fixtures/images), read whole with `read-all`, with fingerprints computed.
final class CompressedSessionTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/images").standardizedFileURL

    func testCompressedImagesReplayAndShareOnlyByContent() throws {
        let images = ["z-lz4hc.erofs", "z-zstd.erofs"].map { ImageSpec(path: Self.fixtures.appendingPathComponent($0).path) }
        var config = SessionConfiguration(images: images)
        config.containers = [SessionContainer(name: "lz4hc", image: 0), SessionContainer(name: "zstd", image: 1)]
        config.builtinWorkloads = [(.readAll, nil)]
        config.fingerprints = .compute
        let session = try Session(config)
        try session.runToEnd()
        let report = session.report()
        let by = Dictionary(uniqueKeysWithValues: report.policies.map { ($0.design, $0) })
        let none = try XCTUnwrap(by[.none]), blob = try XCTUnwrap(by[.blob]), inode = try XCTUnwrap(by[.inode]), chunk = try XCTUnwrap(by[.chunk])
        // The same files, read the same way: the same page cache whatever the compressor.
        XCTAssertEqual(none.containers[0].chargedBytes - none.containers[0].directoryBytes,
                       none.containers[1].chargedBytes - none.containers[1].directoryBytes)
        XCTAssertGreaterThan(none.containers[0].chargedBytes, 512 << 10)
        // Compressed files are never in a blob's address space.
        XCTAssertEqual(blob.chargedBytes, none.chargedBytes)
        // Equal fingerprints and sizes share across compressors: every algorithm uses the same
        // compressed aops in the kernel, so only the second container's directories are new.
        XCTAssertEqual(inode.containers[1].chargedBytes, inode.containers[1].directoryBytes)
        XCTAssertGreaterThan(inode.containers[1].directoryBytes, 0)
        // The fixture's identical copies (/dup) share inside the first container too; content
        // keying also finds equal pages inside different files: the upper bound.
        XCTAssertLessThan(inode.containers[0].chargedBytes, none.containers[0].chargedBytes)
        XCTAssertLessThan(chunk.containers[0].chargedBytes, inode.containers[0].chargedBytes)
        XCTAssertEqual(chunk.containers[1].chargedBytes, chunk.containers[1].directoryBytes, "only directory pages are new")
        XCTAssertEqual(report.workload.outsideImage, 0)
    }
}
