import DeterministicRandom
import EROFS
import Foundation
import Workload
import XCTest
@testable import Inspector

/// The replay's step store and its ordering: the k-way merge of sorted runs gives exactly the
/// stable sort by time the timeline used to make of the whole workload, the compact store gives
/// back every step it was given, and streaming a trace through the binder gives the same steps
/// and diagnostics as binding the fully parsed trace.
final class StepOrderingTests: XCTestCase {
    /// The order the timeline had before runs were merged: everything sorted by (time, input order).
    func referenceOrder(_ steps: [ReplayStep]) -> [ReplayStep] {
        let sorted = steps.enumerated().sorted { $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset }
        let origin = sorted.first?.element.time ?? 0
        return sorted.map { var s = $0.element; s.time -= origin; return s }
    }

    func testKWayMergeOfSortedRunsIsTheStableSortWithTiesToTheEarlierRun() {
        var rng = SplitMix64(seed: 5)
        for trial in 0..<50 {
            let k = 1 + Int(rng.next() % 6)
            // Few distinct keys, so ties within and across runs are common.
            let runs: [[Int]] = (0..<k).map { _ in (0..<Int(rng.next() % 40)).map { _ in Int(rng.next() % 8) }.sorted() }
            var all: [(key: Int, run: Int, position: Int)] = []
            for (r, run) in runs.enumerated() { for (j, key) in run.enumerated() { all.append((key, r, j)) } }
            let expected = all.enumerated().sorted { $0.element.key != $1.element.key ? $0.element.key < $1.element.key : $0.offset < $1.offset }.map(\.offset)
            var offsets: [Int] = []
            var start = 0
            for run in runs { offsets.append(start); start += run.count }
            var merge = KWayMerge(runs: runs.indices.map { r in KWayMerge.Run(count: runs[r].count) { offsets[r] + $0 } }) { all[$0].key }
            var merged: [Int] = []
            while let next = merge.next() { merged.append(next) }
            XCTAssertEqual(merged, expected, "trial \(trial): \(runs)")
        }
    }

    func testStoreGivesBackEveryKindOfStep() {
        let f = SessionFile(image: 1, nid: 1234), g = SessionFile(image: 0, nid: 7)
        let steps: [ReplayStep] = [
            .init(time: 0.5, container: 2, action: .open(f, handle: 3)),
            .init(time: 0.6, container: 2, action: .read(handle: 3, offset: nil, length: 4096)),
            .init(time: 0.7, container: 2, action: .read(handle: 3, offset: 0, length: 1 << 40)),
            .init(time: 0.8, container: 1, action: .pread(handle: 3, offset: 8192, length: 4096)),
            .init(time: 0.9, container: 1, action: .mmap(handle: 3, offset: 0, length: UInt64(Int64.max))),
            .init(time: 1.0, container: 0, action: .close(handle: 3)),
            .init(time: 1.1, container: 0, action: .getPages(g, first: 0, last: 255)),
            .init(time: 1.2, container: 0, action: .fault(f, page: 9)),
            .init(time: 1.3, container: 0, action: .mapPages(g, first: 3, last: 18)),
            .init(time: 1.4, container: 0, action: .pageAdd(f, page: 4, count: 16)),
            .init(time: 1.5, container: 0, action: .pageDelete(g, page: 4, count: 1)),
            .init(time: 1.6, container: 0, action: .readDirectory(SessionFile.managedCache(of: 1))),
            .init(time: 1.7, container: 0, action: .note("phase 2")),
        ]
        let store = ReplaySteps(steps)
        XCTAssertEqual(Array(store), steps)
        XCTAssertEqual(store.count, steps.count)
        XCTAssertEqual(store[4], steps[4])
        XCTAssertEqual(store.faultedFiles(), [f, g])
    }

    func testSortingRunsInPlaceEqualsSortingEverything() {
        var rng = SplitMix64(seed: 9)
        for trial in 0..<40 {
            var steps: [ReplayStep] = []
            var runs: [Range<Int>] = []
            for _ in 0..<(1 + Int(rng.next() % 5)) {
                let start = steps.count
                let sortedRun = rng.next() % 2 == 0
                var t = Double(rng.next() % 5)
                for _ in 0..<Int(rng.next() % 30) {
                    t = sortedRun ? t + Double(rng.next() % 3) * 0.25 : Double(rng.next() % 12) * 0.25
                    steps.append(ReplayStep(time: t + 10, container: Int(rng.next() % 3),
                                            action: .pread(handle: Int64(steps.count + 1), offset: 0, length: 4096)))
                }
                runs.append(start..<steps.count)
            }
            var store = ReplaySteps(steps)
            store.sortByTime(runs: runs)
            XCTAssertEqual(Array(store), referenceOrder(steps), "trial \(trial)")
        }
    }

    /// Binding parsed traces and binding them as they stream: same steps, same diagnostics.
    func check(_ inputs: [TraceInput], containers: [SessionContainer], catalogs: [ImageCatalog], expectSteps: Bool = true,
               file: StaticString = #filePath, line: UInt = #line) throws {
        var parsed = TimelineBuilder(containers: containers, catalogs: catalogs)
        var streamed = TimelineBuilder(containers: containers, catalogs: catalogs)
        var events = 0, streamedEvents = 0
        for input in inputs {
            let trace = try parseTrace(contentsOf: input.url, format: input.parserFormat, strict: input.strict)
            events += trace.events.count
            parsed.add(trace, input: input)
            streamedEvents += try streamed.addStreaming(input).events
        }
        let expected = parsed.build()
        if expectSteps { XCTAssertGreaterThan(expected.count, 0, file: file, line: line) }
        XCTAssertEqual(streamedEvents, events, file: file, line: line)
        XCTAssertEqual(Array(streamed.takeSteps()), expected, file: file, line: line)
        XCTAssertEqual(streamed.diagnostics, parsed.diagnostics, file: file, line: line)
        XCTAssertEqual(streamed.diagnostics.traceDiagnostics.map(\.diagnostic), parsed.diagnostics.traceDiagnostics.map(\.diagnostic), file: file, line: line)
    }

    func testStreamingTheSampleTracesEqualsBindingThemParsed() throws {
        let names = ["tensorflow-base", "tensorflow-v1", "tensorflow-v2"]
        let catalogs = try names.map { try Samples.catalog($0 + ".erofs") }
        let containers = names.indices.map { SessionContainer(name: "c\($0)", image: $0) }
        let traces = ["startup-base", "startup-v1", "startup-v2"].map { Samples.url("traces/\($0).ftrace") }
        // One trace per container, merged by time.
        try check(traces.enumerated().map { TraceInput(url: $1, container: "c\($0)") }, containers: containers, catalogs: catalogs)
        // One trace replayed in each container in turn.
        try check([TraceInput(url: traces[1], eachContainerInTurn: true)], containers: containers, catalogs: catalogs)
    }

    func testStreamingStraceAndNativeFixturesEqualsBindingThemParsed() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../WorkloadTests/Fixtures").standardizedFileURL
        let catalogs = try ["tensorflow-base", "tensorflow-v1"].map { try Samples.catalog($0 + ".erofs") }
        let containers = [SessionContainer(name: "app", image: 0), SessionContainer(name: "sidecar", image: 1)]
        let strace = ["strace-f-tt.log", "strace-f-y-T.log", "strace-t.log", "strace-ttt.log"].map { fixtures.appendingPathComponent($0) }
        // The fixtures trace host programs: nothing of them is in these images, but their
        // diagnostics and counts must match.
        try check(strace.map { TraceInput(url: $0, container: "app") }, containers: containers, catalogs: catalogs, expectSteps: false)
        // A log of the image's own files under a mount point: two pids, a call split in two
        // halves (so the log's times go back once), the same file opened again and again.
        var log = ""
        for k in 0..<40 {
            let t = String(format: "12:00:%02d.%06d", k / 10, (k % 10) * 1000)
            log += "100 \(t) openat(AT_FDCWD, \"/run/mnt/base/usr/bin/python3.11\", O_RDONLY) = 3\n"
            log += "101 \(t) read(3, \"x\", 4096 <unfinished ...>\n"
            log += "100 \(t) read(3, \"\\177ELF\", 832) = 832\n"
            log += "100 \(t) openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY) = 4\n"
            log += "100 \(t) mmap(NULL, 150000, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000\n"
            log += "100 \(t) close(3) = 0\n"
            log += "101 \(t) <... read resumed>) = -1 EBADF (Bad file descriptor)\n"
        }
        let own = FileManager.default.temporaryDirectory.appendingPathComponent("ordering-\(UUID().uuidString).strace")
        try log.write(to: own, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: own) }
        try check([TraceInput(url: own, container: "app"), TraceInput(url: strace[0], container: "sidecar")], containers: containers, catalogs: catalogs)
        try check([TraceInput(url: own, eachContainerInTurn: true)], containers: containers, catalogs: catalogs)
        try check([TraceInput(url: own, root: "/run/mnt/base"), TraceInput(url: own, container: "sidecar", root: "/run/mnt/base")], containers: containers, catalogs: catalogs)
        let native = fixtures.appendingPathComponent("sample-native.jsonl")
        try check([TraceInput(url: native), TraceInput(url: strace[1], container: "sidecar")], containers: containers, catalogs: catalogs)
        try check([TraceInput(url: native, eachContainerInTurn: true)], containers: containers, catalogs: catalogs)
    }
}
