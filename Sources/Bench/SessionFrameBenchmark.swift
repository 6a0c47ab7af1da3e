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
        let config = try reportSessionConfiguration(files: files, events: events, cache: cache, suite: "session frame")
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
