import EROFS
import Foundation
import XCTest
@testable import Inspector

/// How recorded access events become model accesses: which container replays them, and how
/// the kernel's `mm_filemap_get_pages` events of one read are counted. Hits and misses are
/// per page, as cachestat counts them: a page the access found cached is a hit, a page the
/// access itself had to bring in is a miss.
final class TraceBindingTests: XCTestCase {
    let python = "/usr/bin/python3.11"
    /// 174 176 bytes: 43 pages (the base layer's copy of Debian's libexpat).
    let expat = "/usr/lib/x86_64-linux-gnu/libexpat.so.1.8.10"

    func session(_ trace: String, inTurn: Bool) throws -> Session {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("binding-\(UUID().uuidString).jsonl")
        try trace.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        var config = SessionConfiguration(images: ["python-base", "requests-v1"].map { ImageSpec(path: Samples.url($0 + ".erofs").path) })
        config.containers = [SessionContainer(name: "base", image: 0), SessionContainer(name: "v1", image: 1)]
        config.traces = [TraceInput(url: url, eachContainerInTurn: inTurn)]
        let s = try Session(config, designs: [.none])
        try s.runToEnd()
        return s
    }

    /// One 16 KiB read of the interpreter per container, cold. The initial readahead window for
    /// a 4-page request with read_ahead_kb 128 is 8 pages (get_init_ra_size: 4 ≤ 32/4, so ×2):
    /// 8 pages added, the 4 read are misses, nothing is a hit.
    func testARecordingOfSeveralContainersBindsByNameEvenWhenGivenAlone() throws {
        let trace = """
        {"erofs_top_trace":1,"containers":["base","v1"]}
        {"t":0.001,"c":"base","pid":10,"ev":"get","path":"\(python)","page":0,"last":3}
        {"t":0.002,"c":"v1","pid":11,"ev":"get","path":"\(python)","page":0,"last":3}
        """
        // The CLI asks for "each container in turn" whenever one trace meets several containers.
        let s = try session(trace, inTurn: true)
        XCTAssertEqual(s.steps.count, 2, "each event once, in its own container")
        let usage = try XCTUnwrap(s.report().baseline)
        for c in usage.containers {
            XCTAssertEqual(c.chargedBytes, 8 * 4096, c.container)
            XCTAssertEqual(c.misses, 4, c.container)
            XCTAssertEqual(c.hits, 0, "\(c.container) did not read anything twice")
        }
    }

    /// A trace of one workload still runs in each container in turn (the seed's experiment).
    func testATraceOfOneWorkloadRunsInEachContainerInTurn() throws {
        let trace = """
        {"t":0.001,"pid":10,"ev":"get","path":"\(python)","page":0,"last":3}
        """
        let s = try session(trace, inTurn: true)
        XCTAssertEqual(s.steps.map(\.container), [0, 1])
        let usage = try XCTUnwrap(s.report().baseline)
        XCTAssertEqual(usage.containers.map(\.misses), [4, 4])
        XCTAssertEqual(usage.containers.map(\.hits), [0, 0])
    }

    /// Recorded with `erofs-top record` on Linux 6.18 on python-base.erofs (`dd bs=1M`, then
    /// `dd bs=16k`, cold): one 1 MiB read() of the 43-page libexpat logs get_pages 0…255, 17…255
    /// and 36…255 (one event per batch, each with the range still to read); the 16 KiB reads log
    /// 0…3, 4…7, …, 40…43. The first read brings every page in (a miss each); the second finds
    /// them all cached (a hit each). Replaying the continuation events as reads would add phantom hits.
    func testTheBatchesOfOneReadCountEachPageOnce() throws {
        let size = try Samples.image("python-base.erofs").resolve(expat, followFinalSymlink: true).size
        let pages = (size + 4095) / 4096
        var lines = ["{\"erofs_top_trace\":1,\"containers\":[\"base\"]}"]
        for first in [0, 17, 36] {
            lines.append("{\"t\":0.001,\"c\":\"base\",\"pid\":20,\"ev\":\"get\",\"path\":\"\(expat)\",\"page\":\(first),\"last\":255}")
        }
        let smallReads = Array(stride(from: 0, to: Int(pages), by: 4))
        for first in smallReads {
            lines.append("{\"t\":0.002,\"c\":\"base\",\"pid\":21,\"ev\":\"get\",\"path\":\"\(expat)\",\"page\":\(first),\"last\":\(first + 3)}")
        }
        let s = try session(lines.joined(separator: "\n"), inTurn: false)
        XCTAssertEqual(s.steps.count, 1 + smallReads.count, "the two continuations of the 1 MiB read are part of its first event")
        let base = try XCTUnwrap(s.report().baseline).containers[0]
        XCTAssertEqual(base.chargedBytes, pages * 4096)
        XCTAssertEqual(base.misses, pages)
        XCTAssertEqual(base.hits, pages)
    }
}
