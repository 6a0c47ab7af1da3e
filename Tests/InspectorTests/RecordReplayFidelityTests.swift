import EROFS
import Foundation
import Recorder
import Workload
import XCTest
@testable import Inspector

/// Records real workloads on kernel mounts of the sample images with `Recorder` (ftrace), then
/// replays them: page-level events must reproduce the kernel's additions exactly, access-level
/// events (what the sharing designs replay) within 5 %. Needs root, tracefs and EROFS.
final class RecordReplayFidelityTests: XCTestCase {
    func record(_ name: String, _ command: [String]) throws -> URL {
        try TestRecording.record(image: Samples.url("requests-v1.erofs").path, container: "v1", name: "fidelity-\(name)", command)
    }

    /// Pages the kernel added according to the recorded trace.
    func kernelAdds(_ url: URL) throws -> UInt64 {
        let trace = try parseTrace(contentsOf: url)
        return trace.events.reduce(0) { if case .pageAdd(_, _, _, let n) = $1.kind { return $0 + n } else { return $0 } }
    }

    func replayedPages(_ url: URL, pageEvents: Bool) throws -> UInt64 {
        var config = SessionConfiguration(images: [ImageSpec(path: Samples.url("requests-v1.erofs").path)])
        config.containers = [SessionContainer(name: "v1", image: 0)]
        config.traces = [TraceInput(url: url)]
        config.replayPageEvents = pageEvents
        if let ra = try parseTrace(contentsOf: url).metadata.readaheadKB { config.readaheadKB = ra }
        let session = try Session(config, designs: [.none])
        try session.runToEnd()
        return try XCTUnwrap(session.report().baseline).chargedBytes / 4096
    }

    func check(_ name: String, _ command: [String]) throws {
        let url = try record(name, command)
        defer { try? FileManager.default.removeItem(at: url) }
        let kernel = try kernelAdds(url)
        XCTAssertGreaterThan(kernel, 0, "\(name): the kernel recorded no page additions")
        XCTAssertEqual(try replayedPages(url, pageEvents: true), kernel, "\(name): page-level replay")
        let modelled = try replayedPages(url, pageEvents: false)
        let error = abs(Double(modelled) - Double(kernel)) / Double(kernel)
        print("fidelity \(name): kernel \(kernel) pages, access replay \(modelled) pages, error \(String(format: "%.2f", error * 100)) %")
        XCTAssertLessThanOrEqual(error, 0.05, "\(name): kernel \(kernel) pages, modelled \(modelled)")
    }

    func testSequentialRead() throws {
        try check("sequential", ["sh", "-c", "cat {mnt0}/usr/bin/python3.11 {mnt0}/usr/local/lib/python3.11/dist-packages/urllib3/*.py > /dev/null"])
    }

    func testSmallPreads() throws {
        try check("pread", ["python3", "-c", """
        import os, random
        fd = os.open(os.environ['EROFS_TOP_MNT0'] + '/usr/bin/python3.11', os.O_RDONLY)
        r = random.Random(7)
        for _ in range(40): os.pread(fd, 512, r.randrange(0, os.fstat(fd).st_size))
        """])
    }

    func testMmapOfASharedLibrary() throws {
        try check("mmap", ["python3", "-c", """
        import mmap, os
        f = open(os.environ['EROFS_TOP_MNT0'] + '/usr/lib/x86_64-linux-gnu/libssl.so.3', 'rb')
        m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
        for off in range(0, len(m), 12288): m[off]
        """])
    }

    /// The container's real start: the image's own interpreter, chrooted, runs the app.
    func testTheAppsStartupInAChroot() throws {
        try check("startup", ["sh", "-c", "exec env -i PYTHONDONTWRITEBYTECODE=1 \"$(command -v chroot)\" {mnt0} /usr/bin/python3.11 /app/main.py"])
    }
}
