import EROFS
import Foundation
import XCTest
@testable import Inspector

/// How recorded access events become model accesses: which container replays them, and how
/// the kernel's `mm_filemap_get_pages` events of one read are counted. Hits and misses are
/// per page, as cachestat counts them: a page the access found cached is a hit, a page the
/// access itself had to bring in is a miss.
final class TraceBindingTests: XCTestCase {
    let python = "/usr/bin/python3.11"  // 150 000 bytes: 37 pages

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

    /// Recorded with `erofs-top record` on Linux 6.18 (`dd bs=1M`, then `dd bs=16k`, cold): one
    /// 1 MiB read() of the 37-page file logs get_pages 0…255, 17…255 and 36…255 (one event per
    /// batch, each with the range still to read); the 16 KiB reads log 0…3, 4…7, …, 36…39.
    /// The first read brings all 37 pages in (37 misses); the second finds them all cached
    /// (37 hits). Replaying the continuation events as reads would add 20 + 1 phantom hits.
    func testTheBatchesOfOneReadCountEachPageOnce() throws {
        var lines = ["{\"erofs_top_trace\":1,\"containers\":[\"base\"]}"]
        for first in [0, 17, 36] {
            lines.append("{\"t\":0.001,\"c\":\"base\",\"pid\":20,\"ev\":\"get\",\"path\":\"\(python)\",\"page\":\(first),\"last\":255}")
        }
        for first in stride(from: 0, through: 36, by: 4) {
            lines.append("{\"t\":0.002,\"c\":\"base\",\"pid\":21,\"ev\":\"get\",\"path\":\"\(python)\",\"page\":\(first),\"last\":\(first + 3)}")
        }
        let s = try session(lines.joined(separator: "\n"), inTurn: false)
        XCTAssertEqual(s.steps.count, 1 + 10, "the two continuations of the 1 MiB read are part of its first event")
        let base = try XCTUnwrap(s.report().baseline).containers[0]
        XCTAssertEqual(base.chargedBytes, 37 * 4096)
        XCTAssertEqual(base.misses, 37)
        XCTAssertEqual(base.hits, 37)
    }
}
