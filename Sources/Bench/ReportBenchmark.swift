import EROFS
import Foundation
import Inspector

/// `report` at scale (issue 4, item 7): 3 images of 100 000 files and a 1-million-event native
/// trace through a whole session: open the images, walk them, analyse sharing (computed
/// fingerprints), build the timeline, replay under all four designs, and render the table.
/// Only that is timed; the images and trace are built once (`ReportScenario`, `ReportTrace`).
extension BenchmarkSuite {
    func reportBenchmark(files: Int, events: Int, cache: String, runs: Int) throws {
        guard tools.version.hasPrefix("1.9") else {
            throw BenchError("the report benchmark merges layers in rebuild mode and writes --xattr-inode-digest: it needs erofs-utils 1.9 (../shared/tools/erofs-utils-sid)")
        }
        let (scenario, images, trace) = try reportScenarioInputs(files: files, events: events, cache: cache)
        let folder = cache + "/report-" + scenario.key
        let megabytes = { (path: String) in Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0) / 1e6 }
        print(String(format: "report: 3 merged images of %d files (%.1f, %.1f, %.1f MB of metadata) over layers of %.0f MB (base) and %.0f/%.0f/%.0f MB (apps); trace %.0f MB",
                     files, megabytes(images[0]), megabytes(images[1]), megabytes(images[2]), megabytes(folder + "/layer-base.erofs"),
                     megabytes(folder + "/layer-app-v1.erofs"), megabytes(folder + "/layer-app-v2.erofs"), megabytes(folder + "/layer-app-v3.erofs"),
                     megabytes(trace)))
        var config = SessionConfiguration(images: images.map { ImageSpec(path: $0) })
        config.containers = (0..<3).map { SessionContainer(name: "c\($0)", image: $0) }
        config.traces = [TraceInput(url: URL(fileURLWithPath: trace))]
        config.fingerprints = .compute
        var text = ""
        for run in 1...max(1, runs) {
            var seconds = (replay: 0.0, report: 0.0, render: 0.0)
            var session: Session!
            let total = try time {
                session = try Session(config)
                seconds.replay = try time { try session.runToEnd() }
                var report: UsageReport!
                seconds.report = try time { report = session.report() }
                seconds.render = try time {
                    text = report.text + SessionNotes.notes(for: session).map { "note: " + $0 + "\n" }.joined()
                }
            }
            let t = session.timings
            print(String(format: "run %d: %.2f s (goal < 10 s) = open images %.2f + catalogs %.2f + sharing %.2f + trace/timeline %.2f + replay %.2f + report %.2f + render %.3f; %d steps; peak RSS %.0f MB",
                         run, total, t.openImages, t.catalogs, t.sharing, t.timeline, seconds.replay, seconds.report, seconds.render,
                         session.steps.count, Double(peakResidentKB()) / 1024))
        }
        print(text)
        try endToEnd(images: images, trace: trace)
    }

    /// The same report through the `erofs-top` executable next to this one, wall clock.
    private func endToEnd(images: [String], trace: String) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/erofs-top"
        guard fm.isExecutableFile(atPath: binary) else {
            print("end to end: build erofs-top first (swift build -c release) to time `erofs-top report`")
            return
        }
        let command = [binary, "report"] + images + (1...3).map { "--container=c\($0 - 1)=\($0)" } + ["--trace", trace, "--fingerprints", "compute"]
        let seconds = try BenchProcess.timed(command)
        print(String(format: "end to end: erofs-top report %.2f s (wall clock, process start to exit)", seconds))
    }

    private func peakResidentKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
        }
        return 0
    }
}
