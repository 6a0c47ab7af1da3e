import Foundation
import Live

/// `live --batch`: samples every interval until the count or a stop signal; the ftrace
/// instance is removed on every way out (a signal ends the loop, then the monitor closes).
enum LiveBatch {
    /// Catches SIGINT, SIGTERM and SIGHUP from now on (call before the ftrace instance exists).
    static func catchStopSignals() -> StopFlag {
        let stop = StopFlag()
        stop.sources = [SIGINT, SIGTERM, SIGHUP].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stop.set(sig) }
            s.resume()
            return s
        }
        return stop
    }

    static func run(_ monitor: LiveMonitor, interval: Double, count: Int?, json: Bool, stop: StopFlag) {
        if !json { monitor.notes.forEach { FileHandle.standardError.write(Data("erofs-top: \($0)\n".utf8)) } }
        var taken = 0
        var next = Date().addingTimeInterval(interval)
        while stop.signal == nil, count.map({ taken < $0 }) ?? true {
            do { try monitor.pump() } catch {
                monitor.close()
                fail(error)
            }
            guard Date() >= next else { usleep(20_000); continue }
            next = next.addingTimeInterval(interval)
            let sample = LiveSample.take(monitor)
            Output.shared.line(json ? sample.jsonLine : text(sample, monitor))
            Output.shared.flush()
            taken += 1
        }
        monitor.close()
        if let s = stop.signal { Foundation.exit(128 + s) }
    }

    static func text(_ sample: LiveSample, _ monitor: LiveMonitor) -> String {
        var lines = [String(format: "%.1fs  residency by %@  %d events", sample.time, monitor.residencyMethod, monitor.eventCount)]
        for row in sample.json["mounts"] as? [[String: Any]] ?? [] {
            let resident = (row["resident_bytes"] as? UInt64) ?? 0
            let hits = row["hits"] as? UInt64, misses = row["misses"] as? UInt64
            lines.append(String(format: "  %@  %.1f MiB cached  hits %@  misses %@  (%@)", row["mount_point"] as? String ?? "?",
                                Double(resident) / 1048576, hits.map(String.init) ?? "-", misses.map(String.init) ?? "-", row["image"] as? String ?? "?"))
        }
        for d in sample.json["designs"] as? [[String: Any]] ?? [] {
            lines.append(String(format: "  model %@: %.1f MiB charged", d["design"] as? String ?? "?", Double((d["charged_bytes"] as? UInt64) ?? 0) / 1048576))
        }
        return lines.joined(separator: "\n")
    }
}

/// The stop signal that arrived, if any (set from a dispatch source).
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32?
    /// The dispatch sources delivering the signals (kept alive with the flag).
    var sources: [DispatchSourceSignal] = []
    func set(_ s: Int32) { lock.lock(); value = value ?? s; lock.unlock() }
    var signal: Int32? { lock.lock(); defer { lock.unlock() }; return value }
}
