import EROFS
import Foundation
import Recorder
import Workload
import XCTest
@testable import Inspector

/// The model against the kernel on compressed images (Tests/Fixtures/images): EROFS widens
/// reads to whole extents (`CompressedReadahead`) and caches some compressed pclusters in its
/// managed-cache inode (nid 0). Random 4 KiB preads with readahead off show the widening; a
/// sequential read of everything shows readahead over extents. Needs root, tracefs and EROFS.
final class CompressedFidelityTests: XCTestCase {
    static let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/images").standardizedFileURL

    static let preads = """
    import os, random, sys
    fd = os.open(sys.argv[1], os.O_RDONLY)
    size = os.fstat(fd).st_size
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
    r = random.Random(int(sys.argv[2]))
    for _ in range(5): os.pread(fd, 4096, r.randrange(0, size - 4096))
    """

    func record(_ image: String, _ command: [String]) throws -> URL {
        try TestRecording.record(image: Self.images.appendingPathComponent(image).path, container: "z", name: "zfidelity", command)
    }

    /// Kernel nid-only adds are keyed "nid N" like the report's per-file rows.
    func compare(_ image: String, _ url: URL) throws -> (kernel: [String: UInt64], model: [String: UInt64], managed: UInt64) {
        var kernel: [String: UInt64] = [:]
        var managed: UInt64 = 0
        for event in try parseTrace(contentsOf: url).events {
            guard case .pageAdd(let ref, _, _, let n) = event.kind else { continue }
            switch ref {
            case .path(let p): kernel[p, default: 0] += n
            case .nid(let nid): if nid == SessionFile.managedCacheNID { managed += n } else { kernel["nid \(nid)", default: 0] += n }
            }
        }
        var config = SessionConfiguration(images: [ImageSpec(path: Self.images.appendingPathComponent(image).path)])
        config.containers = [SessionContainer(name: "z", image: 0)]
        config.traces = [TraceInput(url: url)]
        config.perFile = true
        if let ra = try parseTrace(contentsOf: url).metadata.readaheadKB { config.readaheadKB = ra }
        let session = try Session(config, designs: [.none])
        try session.runToEnd()
        var model: [String: UInt64] = [:]
        for f in try XCTUnwrap(session.report().baseline).containers[0].files ?? [] { model[f.path] = f.addedPages }
        return (kernel.filter { $0.key != "/" && !$0.key.hasSuffix("/") }, model, managed)
    }

    func testRandomPreadsWidenToWholeExtentsAsTheKernelDoes() throws {
        var widened = 0
        for image in ["z-lz4hc-C65536-48bit.erofs", "z-zstd-C65536-ztailpacking.erofs", "z-lzma-C131072-48bit.erofs", "z-deflate-C65536-ztailpacking.erofs"] {
            let url = try record(image, ["python3", "-c", Self.preads, "{mnt0}/b-mixed.bin", "11"])
            defer { try? FileManager.default.removeItem(at: url) }
            let (kernel, model, _) = try compare(image, url)
            let k = kernel["/b-mixed.bin", default: 0], m = model["/b-mixed.bin", default: 0]
            print("compressed fidelity \(image) random preads: kernel \(k) pages, model \(m)")
            XCTAssertEqual(m, k, "\(image): five 4 KiB preads")
            XCTAssertGreaterThan(k, 5 * 2, "\(image): reads of big pclusters bring in more than the pages asked for")
            widened += 1
        }
        XCTAssertEqual(widened, 4)
    }

    func testSequentialReadOfEverythingMatchesTheKernelWithTheManagedCache() throws {
        for image in ["z-lz4hc.erofs", "z-zstd-C65536-ztailpacking.erofs", "z-lz4hc-48bit-dedupe-fragments.erofs"] {
            let url = try record(image, ["sh", "-c", "find {mnt0} -type f -exec cat {} + > /dev/null"])
            defer { try? FileManager.default.removeItem(at: url) }
            let (kernel, model, managed) = try compare(image, url)
            let k = kernel.values.reduce(0, +), m = model.filter { kernel[$0.key] != nil }.values.reduce(0, +)
            print("compressed fidelity \(image) cat of every file: kernel \(k) file pages + \(managed) managed-cache pages, model \(m) file pages")
            XCTAssertEqual(Double(m), Double(k), accuracy: Double(k) * 0.01, image)
            XCTAssertEqual(model["nid 0", default: 0], managed, "\(image): managed-cache pages are replayed from the trace")
            let packed = try Image(path: Self.images.appendingPathComponent(image).path).superblock.packedNID
            if packed != 0 {
                XCTAssertGreaterThan(kernel["nid \(packed)", default: 0], 0, "\(image): fragments are read through the packed inode")
                XCTAssertEqual(model["nid \(packed)", default: 0], kernel["nid \(packed)", default: 0], "\(image): packed-inode pages")
            }
        }
    }
}
