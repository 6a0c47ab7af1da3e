import Foundation
import Recorder
import Workload

/// The mounts' filemap events as they happen: the recorder's private ftrace instance
/// (`instances/erofs-top-live-PID`, filtered by device), read continuously and parsed in pieces.
public final class LiveEventStream: @unchecked Sendable {
    private let instance: FtraceInstance
    private let lock = NSLock()
    private var pending = Data()
    /// Bytes dropped because the UI did not keep up (more than `maxPending` waiting).
    public var droppedBytes: Int { lock.lock(); defer { lock.unlock() }; return dropped }
    private var dropped = 0
    let maxPending = 64 << 20

    /// Stale instances of killed erofs-top processes that were removed before starting.
    public let sweptInstances: [String]

    /// Creates and starts the instance. Throws `RecordError` (no tracefs, not root, …).
    public init(devices: [String]) throws {
        let tracefs = try FtraceInstance.tracefs()
        sweptInstances = StaleSweep.ftraceInstances(tracefs: tracefs)
        instance = try FtraceInstance(name: "erofs-top-live-\(getpid())", devices: devices, output: nil, bufferKB: 16384)
        try instance.start { [weak self] data in self?.append(data) }
    }

    private func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        if pending.count + data.count > maxPending { dropped += data.count; return }
        pending.append(data)
    }

    /// The events that arrived since the last call (complete lines only).
    public func drain() -> [TraceEvent] {
        lock.lock()
        guard let end = pending.lastIndex(of: UInt8(ascii: "\n")) else { lock.unlock(); return [] }
        let chunk = pending[pending.startIndex...end]
        pending.removeSubrange(pending.startIndex...end)
        lock.unlock()
        countLost(in: chunk)
        guard var reader = try? TraceReader(data: Data(chunk), format: .ftrace) else { return [] }
        return (try? reader.readAll()) ?? []
    }

    /// Events the kernel dropped because its ring buffer was full (`CPU:N [LOST M EVENTS]` lines).
    public private(set) var lostEvents = 0

    private func countLost(in chunk: Data) {
        let marker = Array("[LOST ".utf8)
        guard chunk.count >= marker.count else { return }
        let bytes = [UInt8](chunk)
        var i = 0
        while i + marker.count <= bytes.count {
            if bytes[i] == marker[0], Array(bytes[i..<(i + marker.count)]) == marker {
                var j = i + marker.count, n = 0
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { n = n * 10 + Int(bytes[j] - 48); j += 1 }
                lostEvents += n
                i = j
            } else { i += 1 }
        }
    }

    /// Stops tracing and removes the instance. Safe to call twice.
    public func close() { instance.close() }

    deinit { close() }
}
