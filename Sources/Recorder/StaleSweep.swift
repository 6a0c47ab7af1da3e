import Foundation

/// Removes what an erofs-top process killed without a chance to clean up left behind: its
/// ftrace instance (`instances/erofs-top-PID`, `instances/erofs-top-live-PID`) and its empty
/// temporary folder (`erofs-top-record-PID`). Mounts need no sweep: they were made in a private
/// mount namespace and died with it.
public enum StaleSweep {
    /// The PID an erofs-top name ends with (`erofs-top-123`, `erofs-top-live-123`), if any.
    static func ownerPID(of name: String) -> pid_t? {
        guard name.hasPrefix("erofs-top-"), let last = name.split(separator: "-").last, let pid = pid_t(last), pid > 0 else { return nil }
        return pid
    }

    /// Whether `pid` is running. Any process counts (a renamed binary, a test runner), so a
    /// running erofs-top's instance is never removed; a reused PID only delays the sweep.
    static func isRunning(_ pid: pid_t) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes stale ftrace instances under `tracefs`; returns the paths removed.
    @discardableResult
    public static func ftraceInstances(tracefs: String) -> [String] {
        let root = tracefs + "/instances"
        var removed: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            guard let pid = ownerPID(of: name), !isRunning(pid) else { continue }
            let dir = root + "/" + name
            try? "0".write(toFile: dir + "/tracing_on", atomically: false, encoding: .utf8)
            try? "0".write(toFile: dir + "/events/enable", atomically: false, encoding: .utf8)
            if rmdir(dir) == 0 { removed.append(dir) }
        }
        return removed
    }

    /// Removes stale `erofs-top-record-PID` folders in the temporary folder (left empty once
    /// their namespace's mounts are gone; a folder still mounted on is left alone).
    @discardableResult
    public static func temporaryFolders(in temporary: String = NSTemporaryDirectory()) -> [String] {
        var removed: [String] = []
        let base = temporary.hasSuffix("/") ? String(temporary.dropLast()) : temporary
        let table = (try? String(contentsOfFile: "/proc/thread-self/mountinfo", encoding: .utf8)) ?? ""
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix("erofs-top-record-") {
            guard let pid = ownerPID(of: name), !isRunning(pid) else { continue }
            let dir = base + "/" + name
            // Still mounted on here or in the namespace of a command the dead recorder started
            // (removing the folder would unmount it under that command): left for later.
            guard !table.contains(" " + dir + "/"), !mountedInAnyNamespace(dir) else { continue }
            if (try? FileManager.default.removeItem(atPath: dir)) != nil { removed.append(dir) }
        }
        return removed
    }

    /// Whether any process's mount table has a mount below `dir`.
    static func mountedInAnyNamespace(_ dir: String) -> Bool {
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where pid.allSatisfy(\.isNumber) {
            if let table = try? String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8), table.contains(" " + dir + "/") { return true }
        }
        return false
    }
}
