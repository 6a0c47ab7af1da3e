import EROFS
import Foundation
import Workload

/// What to record: the images (as containers), the command or duration, the cache state.
public struct RecordingPlan: Sendable {
    public struct Container: Sendable {
        public var name: String
        public var image: ImageSpec
        /// An existing mount of the image to record on instead of mounting it.
        public var mountpoint: String?
        public init(name: String, image: ImageSpec, mountpoint: String? = nil) { self.name = name; self.image = image; self.mountpoint = mountpoint }
    }
    public var containers: [Container]
    /// The command to run with `{mnt0}`-style placeholders (empty: record for `duration`).
    public var command: [String]
    /// Seconds to record when there is no command (or a limit for the command).
    public var duration: Double?
    /// Drop the page cache before recording (cold start); false keeps it and records what is cached.
    public var dropCaches = true
    public var output: String
    /// Mount over loop devices rather than file-backed.
    public var loop = false

    public init(containers: [Container], command: [String], duration: Double?, dropCaches: Bool, output: String) {
        self.containers = containers; self.command = command; self.duration = duration
        self.dropCaches = dropCaches; self.output = output
    }
}

/// The outcome of a recording.
public struct RecordingSummary: Sendable {
    public var events: Int
    public var eventsByKind: [EventKindName: Int]
    public var commandStatus: Int32?
    public var mounts: [(container: String, mountpoint: String, device: String, method: String, readaheadKB: Int?)]
    public var interrupted: Bool
}

/// Mounts the images, records the command's page cache events from the kernel, and writes a
/// native trace. Everything set up (mounts, loop devices, the ftrace instance, the temporary
/// folder) is undone on every exit path.
public enum Recorder {
    public static func record(_ plan: RecordingPlan, log: (String) -> Void = { _ in }) throws -> RecordingSummary {
        guard geteuid() == 0 else {
            throw RecordError("recording needs root: it mounts the images and uses ftrace (try sudo)")
        }
        let tracefs = try FtraceInstance.tracefs()
        for stale in StaleSweep.ftraceInstances(tracefs: tracefs) { log("removed the stale ftrace instance \(stale) (its erofs-top is gone)") }
        for stale in StaleSweep.temporaryFolders() { log("removed the stale folder \(stale)") }
        let images = try plan.containers.map { try Image($0.image) }
        let work = NSTemporaryDirectory() + "erofs-top-record-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        // Mounts live in a private namespace: whatever kills this process, the kernel removes them.
        let namespace = try PrivateMountNamespace()
        var mounts: [KernelMount] = []
        var ftrace: FtraceInstance?
        defer {
            ftrace?.close()
            for m in mounts.reversed() { m.unmount() }
            namespace.leave()
            try? FileManager.default.removeItem(atPath: work)
        }
        for (index, container) in plan.containers.enumerated() {
            if let existing = container.mountpoint {
                let m = try KernelMount(existing: existing, of: images[index])
                mounts.append(m)
                log("using \(container.name): \(images[index].path) mounted on \(existing) (dev \(m.device), read_ahead_kb \(m.readaheadKB.map(String.init) ?? "unknown: not a block device"))")
                continue
            }
            let mnt = work + "/mnt\(index)"
            try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
            let devices = images[index].devices.dropFirst().map(\.path)
            let m = try KernelMount(image: images[index].path, devices: Array(devices), mountpoint: mnt, loop: plan.loop)
            mounts.append(m)
            log("mounted \(container.name): \(images[index].path) on \(mnt) (\(m.method), dev \(m.device), read_ahead_kb \(m.readaheadKB.map(String.init) ?? "?"))")
        }
        let raw = work + "/ftrace.txt"
        let instance = try FtraceInstance(name: "erofs-top-\(getpid())", devices: mounts.map(\.device), output: raw)
        ftrace = instance
        var warmEvents: [TraceEvent] = []
        if plan.dropCaches {
            sync()
            try? "3".write(toFile: "/proc/sys/vm/drop_caches", atomically: false, encoding: .utf8)
        } else {
            for (index, m) in mounts.enumerated() {
                warmEvents += try Residency.cachedPages(of: images[index], mountedAt: m.mountpoint, container: plan.containers[index].name)
            }
        }
        try instance.start()
        let start = Date()
        let (status, interrupted) = try CommandRunner.run(plan.command, mounts: mounts.map(\.mountpoint),
                                                          names: plan.containers.map(\.name), duration: plan.duration, log: log)
        instance.stop()
        log(String(format: "recorded %.1f s", Date().timeIntervalSince(start)))
        let summary = try TraceConversion.write(ftraceText: raw, warm: warmEvents, plan: plan, images: images, mounts: mounts, output: plan.output)
        return RecordingSummary(events: summary.events, eventsByKind: summary.byKind, commandStatus: status,
                                mounts: zip(plan.containers, mounts).map { ($0.name, $1.mountpoint, $1.device, $1.method, $1.readaheadKB) },
                                interrupted: interrupted)
    }
}
