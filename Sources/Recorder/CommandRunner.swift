import Foundation

/// Runs the recorded command (or waits for a duration) while the recording is on.
enum CommandRunner {
    /// Replaces `{mnt0}`, `{mnt1}`… and `{mnt:NAME}` with mount points.
    static func substitute(_ argument: String, mounts: [String], names: [String]) -> String {
        var out = argument
        for (i, m) in mounts.enumerated() {
            out = out.replacingOccurrences(of: "{mnt\(i)}", with: m)
            out = out.replacingOccurrences(of: "{mnt:\(names[i])}", with: m)
        }
        return out
    }

    /// Environment variables naming the mounts: EROFS_TOP_MNT0…, EROFS_TOP_MNT_<NAME>.
    static func environment(mounts: [String], names: [String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for (i, m) in mounts.enumerated() {
            env["EROFS_TOP_MNT\(i)"] = m
            let key = names[i].uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            env["EROFS_TOP_MNT_" + String(key)] = m
        }
        return env
    }

    /// Returns the command's exit status (nil without a command) and whether Ctrl-C or
    /// SIGTERM ended the recording.
    static func run(_ command: [String], mounts: [String], names: [String], duration: Double?,
                    log: (String) -> Void) throws -> (Int32?, Bool) {
        // Ctrl-C reaches the command (same process group); we only note it and clean up after.
        let interrupted = ManagedFlag()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { interrupted.set() }
            s.resume()
            return s
        }
        defer {
            sources.forEach { $0.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        let deadline = duration.map { Date().addingTimeInterval($0) }
        guard !command.isEmpty else {
            log("recording until Ctrl-C\(duration.map { " or \($0) s" } ?? "")")
            while !interrupted.value, deadline.map({ Date() < $0 }) ?? true { usleep(50_000) }
            return (nil, interrupted.value)
        }
        let process = Process()
        let arguments = command.map { substitute($0, mounts: mounts, names: names) }
        if arguments[0].contains("/") {
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
        }
        process.environment = environment(mounts: mounts, names: names)
        do { try process.run() } catch {
            throw RecordError("cannot run \(arguments[0]): \(error.localizedDescription)")
        }
        while process.isRunning {
            if let deadline, Date() >= deadline { process.terminate() }
            if interrupted.value { process.interrupt() }
            usleep(20_000)
        }
        return (process.terminationStatus, interrupted.value)
    }
}

/// A thread-safe boolean set from signal handlers' dispatch sources.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
