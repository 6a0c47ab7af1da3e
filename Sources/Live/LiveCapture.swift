import Foundation
import Inspector
import Workload

/// The live event stream written to a native trace while `w` is on, as `record` writes them:
/// container names, paths inside the images, times from the start of the capture. `report`
/// replays it given the same images and `--container` names.
public final class LiveCapture {
    public let path: String
    private let handle: FileHandle
    private let containers: [String]
    private var paths: [Int: [UInt64: String]] = [:]
    private unowned let monitor: LiveMonitor
    private var firstTime: Double?
    public private(set) var events = 0
    private var buffer: [String] = []

    init(path: String, monitor: LiveMonitor) throws {
        self.path = path
        self.monitor = monitor
        containers = monitor.session.containers.map(\.name)
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw LiveError("cannot write \(path)")
        }
        handle = h
        var metadata = TraceMetadata()
        metadata.version = 1
        metadata.containers = containers
        for (m, mount) in monitor.inventory.mounts.enumerated() {
            metadata.devices[mount.device] = containers[monitor.containerOfMount[m]]
        }
        metadata.readaheadKB = monitor.session.configuration.readaheadKB
        metadata.cache = .warm
        buffer.append(metadata.nativeHeader)
    }

    private func pathOf(_ file: SessionFile) -> String? {
        if paths[file.image] == nil {
            var map: [UInt64: String] = [:]
            for e in monitor.session.catalogs[file.image].entries where map[e.nid] == nil { map[e.nid] = e.path }
            paths[file.image] = map
        }
        return paths[file.image]?[file.nid]
    }

    func append(_ event: TraceEvent, mount: Int, file: SessionFile, time: Double) {
        let ref: FileRef = pathOf(file).map { .path($0) } ?? .nid(file.nid)
        var e = event
        if firstTime == nil { firstTime = time }
        e.time = time - (firstTime ?? time)
        e.container = containers[monitor.containerOfMount[mount]]
        e.line = 0
        switch event.kind {
        case .getPages(_, let a, let b): e.kind = .getPages(.file(ref, device: nil), first: a, last: b)
        case .fault(_, let p): e.kind = .fault(.file(ref, device: nil), page: p)
        case .mapPages(_, let a, let b): e.kind = .mapPages(.file(ref, device: nil), first: a, last: b)
        case .pageAdd(_, _, let p, let n): e.kind = .pageAdd(file: ref, device: nil, page: p, count: n)
        case .pageDelete(_, _, let p, let n): e.kind = .pageDelete(file: ref, device: nil, page: p, count: n)
        default: return
        }
        buffer.append(e.nativeJSON)
        events += 1
        if buffer.count >= 4096 { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data((buffer.joined(separator: "\n") + "\n").utf8))
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws -> (path: String, events: Int) {
        flush()
        try? handle.close()
        return (path, events)
    }
}
