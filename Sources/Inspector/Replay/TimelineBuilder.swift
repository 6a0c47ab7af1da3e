import EROFS
import Foundation
import Workload

/// A container: a name and the session image it runs from (two containers may share an image).
public struct SessionContainer: Sendable, Equatable {
    public var name: String
    public var image: Int
    public init(name: String, image: Int) { self.name = name; self.image = image }
}

/// A recorded trace to replay and how to bind it to containers.
public struct TraceInput: Sendable {
    public var url: URL
    /// Container for events that name none (default: the first container).
    public var container: String?
    /// Mount point the traced paths start with (see `PathMapping`).
    public var root: String?
    public var format: TraceFormat?
    public var strict: Bool
    /// Replay the whole trace once per container, one after another (the seed's experiment:
    /// the same startup in each container in turn); events' own container names are ignored.
    /// Not for a trace that names two or more containers itself (a recording of several
    /// containers): that one is bound by its names.
    public var eachContainerInTurn = false
    public init(url: URL, container: String? = nil, root: String? = nil, format: TraceFormat? = nil, strict: Bool = false,
                eachContainerInTurn: Bool = false) {
        self.url = url; self.container = container; self.root = root; self.format = format; self.strict = strict
        self.eachContainerInTurn = eachContainerInTurn
    }
}

/// Workloads erofs-top can generate from the images themselves.
public enum BuiltinWorkload: String, Sendable, CaseIterable {
    /// Each container in turn lists every directory and reads every regular file with 128 KiB
    /// `read()` calls, as `cat` would (the inode_share series' "reading all files" experiment).
    case readAll = "read-all"
}

/// Turns traces and built-in workloads into one time-ordered list of replay steps.
public struct TimelineBuilder {
    public let containers: [SessionContainer]
    public let catalogs: [ImageCatalog]
    public private(set) var diagnostics = ReplayDiagnostics()
    private var steps: [(time: Double, order: Int, step: ReplayStep)] = []
    private var nextHandle: Int64 = 1
    private var handleFiles: [Int64: SessionFile] = [:]
    private var clockEnd: Double = 0

    public init(containers: [SessionContainer], catalogs: [ImageCatalog]) {
        self.containers = containers
        self.catalogs = catalogs
    }

    /// The steps, sorted by time (ties keep input order), with time starting at 0.
    public func build() -> [ReplayStep] {
        let sorted = steps.sorted { $0.time != $1.time ? $0.time < $1.time : $0.order < $1.order }
        let origin = sorted.first?.time ?? 0
        return sorted.map { var s = $0.step; s.time = $0.time - origin; return s }
    }

    /// Where the next sequential workload starts (one second after everything so far).
    var nextStart: Double { steps.isEmpty ? 0 : clockEnd + 1 }

    mutating func setDiagnostics(_ d: ReplayDiagnostics) { diagnostics = d }
    mutating func count(_ field: WritableKeyPath<ReplayDiagnostics, Int>) { diagnostics[keyPath: field] += 1 }
    mutating func emit(_ time: Double, _ container: Int, _ action: ReplayAction) { append(time, container, action) }
    mutating func newHandle(for file: SessionFile) -> Int64 {
        let h = nextHandle
        nextHandle += 1
        handleFiles[h] = file
        return h
    }
    func fileOfHandle(_ handle: Int64) -> SessionFile? { handleFiles[handle] }

    private mutating func append(_ time: Double, _ container: Int, _ action: ReplayAction) {
        steps.append((time, steps.count, ReplayStep(time: time, container: container, action: action)))
        clockEnd = max(clockEnd, time)
    }

    // MARK: Built-in workloads

    /// Adds a built-in workload for `container`, starting after everything added so far.
    public mutating func add(_ workload: BuiltinWorkload, container: Int) {
        let catalog = catalogs[containers[container].image]
        var time = nextStart
        let tick = 0.0001
        switch workload {
        case .readAll:
            for index in catalog.directories {
                append(time, container, .readDirectory(SessionFile(image: containers[container].image, nid: catalog.entries[index].nid)))
                time += tick
            }
            for index in catalog.regularFiles {
                let entry = catalog.entries[index]
                let file = SessionFile(image: containers[container].image, nid: entry.nid)
                let handle = newHandle(for: file)
                append(time, container, .open(file, handle: handle))
                var offset: UInt64 = 0
                repeat {
                    append(time, container, .read(handle: handle, offset: offset, length: 128 << 10))
                    offset += 128 << 10
                } while offset < entry.size
                append(time, container, .close(handle: handle))
                time += tick
            }
        }
    }
}
