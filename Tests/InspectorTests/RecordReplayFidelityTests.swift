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

    /// What the kernel did according to the recorded trace: the pages it added, and of those
    /// the ones still cached at the end. They differ when something else on the machine evicts
    /// pages during the recording (another process's `drop_caches`, memory pressure): the
    /// trace then holds `mm_filemap_delete_from_page_cache` events, and a replay of them ends
    /// with those pages gone too.
    func kernelPages(_ url: URL) throws -> (added: UInt64, resident: UInt64) {
        struct Page: Hashable { var file: FileRef; var device: String?; var index: UInt64 }
        var added: UInt64 = 0
        var resident = Set<Page>()
        for event in try parseTrace(contentsOf: url).events {
            switch event.kind {
            case .pageAdd(let f, let d, let first, let n):
                added += n
                for i in first..<first + n { resident.insert(Page(file: f, device: d, index: i)) }
            case .pageDelete(let f, let d, let first, let n):
                for i in first..<first + n { resident.remove(Page(file: f, device: d, index: i)) }
            default: break
            }
        }
        return (added, UInt64(resident.count))
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

    /// Records `command`, then checks both replays against what the kernel did. The access-level
    /// replay models no eviction, so it is compared only with a recording nothing disturbed:
    /// when something else on the machine evicted pages meanwhile, the workload is recorded
    /// again (up to three times), and the comparison is skipped, saying so, if it never ran
    /// undisturbed.
    func check(_ name: String, _ command: [String]) throws {
        for attempt in 1...3 {
            let url = try record(name, command)
            defer { try? FileManager.default.removeItem(at: url) }
            let pages = try kernelPages(url)
            XCTAssertGreaterThan(pages.added, 0, "\(name): the kernel recorded no page additions")
            // Evicted or not, replaying the kernel's own events must end with what it kept.
            XCTAssertEqual(try replayedPages(url, pageEvents: true), pages.resident, "\(name): page-level replay")
            if pages.resident != pages.added {
                print("fidelity \(name): \(pages.added - pages.resident) of the \(pages.added) pages added were evicted during recording \(attempt) (something else on the machine)")
                continue
            }
            let kernel = pages.added
            let modelled = try replayedPages(url, pageEvents: false)
            let error = abs(Double(modelled) - Double(kernel)) / Double(kernel)
            print("fidelity \(name): kernel \(kernel) pages, access replay \(modelled) pages, error \(String(format: "%.2f", error * 100)) %")
            XCTAssertLessThanOrEqual(error, 0.05, "\(name): kernel \(kernel) pages, modelled \(modelled)")
            return
        }
        throw XCTSkip("\(name): pages were evicted during all three recordings (another process dropping caches, or memory pressure), so the access-level replay, which models no eviction, was not compared; the page-level replay was")
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
