import EROFS
import Foundation
import Inspector

/// Seeking a replay (issue 17): the `report` scenario's session (3 images of `files` files, a
/// trace of `events` events) replayed once to the end with checkpoints, then seeks to 10
/// random events: each seek alone (restore the nearest saved moment, re-simulate to the
/// target), and with the dashboard's figures after it (header, blobs), as the UI shows them.
extension BenchmarkSuite {
    func seekBenchmark(files: Int, events: Int, cache: String) throws {
        let config = try reportSessionConfiguration(files: files, events: events, cache: cache, suite: "seek")
        var session: Session!
        let open = try time { session = try Session(config) }
        let driver = ReplayDriver(session: session)
        let replay = try time { try driver.seek(toEvent: session.stepCount) }
        print(String(format: "seek: session of %d steps opened in %.2f s; first replay to the end with checkpoints %.2f s",
                     session.stepCount, open, replay))
        let model = SessionViewModel(session: session)
        // The UI draws frames all along the replay; this first one catches up with all of it.
        let first = try time { _ = model.figures; _ = model.blobs }
        print(String(format: "seek: the dashboard's first figures after the whole replay %.2f s", first))
        var random = SplitMix(seed: 17)
        var alone: [Double] = [], shown: [Double] = [], cpuShown: [Double] = []
        let moments = session.savedMoments
        print(String(format: "seek: %d saved moments, ~%.0f MB each", moments.count, Double(session.savedMomentBytes) / Double(max(1, moments.count)) / 1e6))
        for n in 0..<10 {
            let target = Int(random.next() % UInt64(session.stepCount + 1))
            let from = session.position
            if n == 0 {
                // The first seek back after the whole replay, in parts: the restore, the first
                // step after it (the first changes copy what they touch), the rest.
                let base = moments.last { $0 <= target } ?? 0
                let restore = try time { try driver.seek(toEvent: base) } * 1000
                let first = try time { try driver.seek(toEvent: min(base + 1, target)) } * 1000
                let rest = try time { try driver.seek(toEvent: target) } * 1000
                alone.append(restore + first + rest)
                print(String(format: "  seek %7d -> %7d: %6.1f ms (%d steps re-simulated): restore %.1f ms, first step %.1f ms, the rest %.1f ms",
                             from, target, alone.last!, target - base, restore, first, rest))
            } else {
                alone.append(try time { try driver.seek(toEvent: target) } * 1000)
            }
            let base = target >= from && (moments.last { $0 <= target } ?? 0) <= from ? from : (moments.last { $0 <= target } ?? 0)
            if n > 0 { print(String(format: "  seek %7d -> %7d: %6.1f ms (%d steps re-simulated)", from, target, alone.last!, target - base)) }
            // Away and back, then what the dashboard computes for a frame after a seek.
            try driver.seek(toEvent: session.stepCount - target)
            let cpu0 = threadCPUSeconds()
            let back = try time { try driver.seek(toEvent: target) } * 1000
            let cpu1 = threadCPUSeconds()
            let frame = try time {
                model.invalidate()
                _ = model.figures
                _ = model.blobs
            } * 1000
            let cpu2 = threadCPUSeconds()
            shown.append(back + frame)
            cpuShown.append((cpu2 - cpu0) * 1000)
            print(String(format: "    away to %7d and back: seek %6.1f ms + the next frame's figures %6.1f ms (CPU %.1f + %.1f ms)",
                         session.stepCount - target, back, frame, (cpu1 - cpu0) * 1000, (cpu2 - cpu1) * 1000))
        }
        // Where the time goes: restoring a saved moment (then the first changes copy what they
        // touch), and replaying forward from it.
        for _ in 0..<5 {
            let target = Int(random.next() % UInt64(session.stepCount + 1))
            let base = moments.last { $0 <= target } ?? 0
            try driver.seek(toEvent: session.stepCount)
            let restore = try time { try driver.seek(toEvent: base) } * 1000
            let first = try time { try driver.seek(toEvent: min(base + 1, session.stepCount)) } * 1000
            let rest = try time { try driver.seek(toEvent: target) } * 1000
            print(String(format: "  restore moment %7d: %5.1f ms, first step %5.1f ms, %5d more steps %5.1f ms", base, restore, first, target - base - 1, rest))
        }
        func summary(_ ms: [Double]) -> String {
            let sorted = ms.sorted()
            return String(format: "median %.1f ms, max %.1f ms", (sorted[4] + sorted[5]) / 2, sorted.last!)
        }
        print("seek to 10 random events: \(summary(alone)) (goal < 100 ms); with the dashboard's figures after it: \(summary(shown)) (CPU time of it: \(summary(cpuShown)))")
        print("seek: peak RSS \(peakResidentMB()) MB (the checkpoints included)")
    }

    /// CPU time of the calling thread: steadier than wall time on a loaded machine.
    func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    func peakResidentMB() -> Int { highWaterKB(of: "self") / 1024 }

    /// `VmHWM` of a process ("self" or a pid) in KiB; 0 when it cannot be read (an exited
    /// process, or one that has not exec'd yet).
    func highWaterKB(of process: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}

extension BenchmarkSuite {
    /// The `report` scenario as a session: its 3 merged images of `files` files (built once into
    /// `cache`), a generated trace of `events` events, one container per image, fingerprints
    /// computed.
    func reportSessionConfiguration(files: Int, events: Int, cache: String, suite: String) throws -> SessionConfiguration {
        guard tools.version.hasPrefix("1.9") else {
            throw BenchError("the \(suite) benchmark uses the report scenario, which needs erofs-utils 1.9 (../shared/tools/erofs-utils-sid)")
        }
        let (_, images, trace) = try reportScenarioInputs(files: files, events: events, cache: cache)
        var config = SessionConfiguration(images: images.map { ImageSpec(path: $0) })
        config.containers = (0..<3).map { SessionContainer(name: "c\($0)", image: $0) }
        config.traces = [TraceInput(url: URL(fileURLWithPath: trace))]
        config.fingerprints = .compute
        return config
    }

    /// The `report` scenario's merged images and its trace of `events` events, built once into
    /// `cache` (keyed by every parameter) and reused by later runs.
    func reportScenarioInputs(files: Int, events: Int, cache: String) throws -> (scenario: ReportScenario, images: [String], trace: String) {
        let scenario = ReportScenario(files: files)
        let folder = cache + "/report-" + scenario.key
        let images = try scenario.images(in: folder, mkfs: tools.mkfs) { print($0) }
        let trace = folder + "/trace-\(events).jsonl"
        try ReportTrace(paths: scenario.paths, events: events, seed: 7).write(to: trace)
        return (scenario, images, trace)
    }
}
