import EROFS
import Foundation
import Workload

/// Turns the raw ftrace text of a recording into the native trace format.
enum TraceConversion {
    static func write(ftraceText raw: String, warm: [TraceEvent], plan: RecordingPlan, images: [Image],
                      mounts: [KernelMount], output: String) throws -> (events: Int, byKind: [EventKindName: Int]) {
        let parsed = try parseTrace(contentsOf: URL(fileURLWithPath: raw), format: .ftrace)
        var containerOfDevice: [String: Int] = [:]
        for (i, m) in mounts.enumerated() { containerOfDevice[m.device] = i }
        var paths: [[UInt64: String]] = []
        for image in images {
            var map: [UInt64: String] = [:]
            try image.walk { if case .entry(let p, let inode) = $0, map[inode.nid] == nil { map[inode.nid] = p } }
            paths.append(map)
        }
        var metadata = TraceMetadata()
        metadata.version = 1
        metadata.containers = plan.containers.map(\.name)
        for (d, i) in containerOfDevice { metadata.devices[d] = plan.containers[i].name }
        metadata.readaheadKB = mounts.first?.readaheadKB
        metadata.cache = plan.dropCaches ? .cold : .warm
        var lines = [metadata.nativeHeader]
        var byKind: [EventKindName: Int] = [:]
        func emit(_ e: TraceEvent) {
            lines.append(e.nativeJSON)
            byKind[e.kind.name, default: 0] += 1
        }
        warm.forEach(emit)
        for var event in parsed.events {
            func rebind(_ ref: FileRef, _ device: String?) -> (FileRef, Int)? {
                guard let device, let c = containerOfDevice[device], case .nid(let nid) = ref else { return nil }
                return (paths[c][nid].map { .path($0) } ?? ref, c)
            }
            switch event.kind {
            case .getPages(.file(let ref, let dev), let a, let b):
                guard let (f, c) = rebind(ref, dev) else { continue }
                event.kind = .getPages(.file(f, device: nil), first: a, last: b); event.container = plan.containers[c].name
            case .fault(.file(let ref, let dev), let p):
                guard let (f, c) = rebind(ref, dev) else { continue }
                event.kind = .fault(.file(f, device: nil), page: p); event.container = plan.containers[c].name
            case .mapPages(.file(let ref, let dev), let a, let b):
                guard let (f, c) = rebind(ref, dev) else { continue }
                event.kind = .mapPages(.file(f, device: nil), first: a, last: b); event.container = plan.containers[c].name
            case .pageAdd(let ref, let dev, let p, let n):
                guard let (f, c) = rebind(ref, dev) else { continue }
                event.kind = .pageAdd(file: f, device: nil, page: p, count: n); event.container = plan.containers[c].name
            case .pageDelete(let ref, let dev, let p, let n):
                guard let (f, c) = rebind(ref, dev) else { continue }
                event.kind = .pageDelete(file: f, device: nil, page: p, count: n); event.container = plan.containers[c].name
            default:
                continue
            }
            event.line = 0
            emit(event)
        }
        let text = lines.joined(separator: "\n") + "\n"
        do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw RecordError("cannot write \(output): \(error.localizedDescription)")
        }
        return (lines.count - 1, byKind)
    }
}
