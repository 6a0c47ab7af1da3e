import EROFS
import Foundation
import Inspector
import InspectorUI
import TerminalUI

/// Frame times of the dashboard over the real session (issue 17): the `report` scenario's
/// session (3 images of `files` files, a trace of `events` events) through the same
/// `SessionDashboard` adapter the UI uses, at 200x60. Between frames the replay moves on by
/// `eventsPerFrame` events (not timed, as in the synthetic suite); each timed frame is one
/// app-loop iteration: tick, the view model's figures for the visible panels, draw, present.
extension BenchmarkSuite {
    func sessionFrameBenchmark(files: Int, events: Int, cache: String, eventsPerFrame: Int = 2_000) throws {
        guard tools.version.hasPrefix("1.9") else {
            throw BenchError("the session frame benchmark uses the report scenario, which needs erofs-utils 1.9 (../shared/tools/erofs-utils-sid)")
        }
        let scenario = ReportScenario(files: files)
        let folder = cache + "/report-" + scenario.key
        let images = try scenario.images(in: folder, mkfs: tools.mkfs) { print($0) }
        let trace = folder + "/trace-\(events).jsonl"
        try ReportTrace(paths: scenario.paths, events: events, seed: 7).write(to: trace)
        var config = SessionConfiguration(images: images.map { ImageSpec(path: $0) })
        config.containers = (0..<3).map { SessionContainer(name: "c\($0)", image: $0) }
        config.traces = [TraceInput(url: URL(fileURLWithPath: trace))]
        config.fingerprints = .compute
        let session = try Session(config)
        let source = SessionDashboard(session: session, speed: 1)
        try source.perform(.togglePause)  // the benchmark moves the replay itself
        let frames = max(50, min(300, session.stepCount / eventsPerFrame - 20))
        let timings = try DashboardBenchmark.measureFrames(source: source, images: 3, filesPerImage: files, frames: frames) {
            try source.seek(to: .event(min(session.stepCount, session.position + eventsPerFrame)))
        }
        print("ui (real session, \(eventsPerFrame) events between frames): \(timings) (goal: mean <= 5 ms, p95 <= 8 ms)")
    }
}
