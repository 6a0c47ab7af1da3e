import EROFS
import Foundation
import Workload

/// A container: a name and the session image it runs from (two containers may share an image),
/// or a layer stack of session images (overlayfs over one mount per layer, as containerd's
/// EROFS snapshotter runs them).
public struct SessionContainer: Sendable, Equatable {
    public var name: String
    /// The image, or for a stack its topmost layer.
    public var image: Int
    /// The layers, lowest first (`[image]` for a single image).
    public var layers: [Int]
    public init(name: String, image: Int) { self.name = name; self.image = image; self.layers = [image] }
    /// A container running from a stack of session images, lowest first.
    public init(name: String, layers: [Int]) {
        precondition(!layers.isEmpty, "a container has at least one layer")
        self.name = name; self.image = layers.last!; self.layers = layers
    }
    /// Whether the container is a stack of two or more layers.
    public var isStack: Bool { layers.count > 1 }
}

/// A recorded trace to replay and how to bind it to containers.
public struct TraceInput: Sendable, Equatable {
    public var url: URL
    /// Container for events that name none (default: the first container).
    public var container: String?
    /// Mount point the traced paths start with (see `PathMapping`).
    public var root: String?
    public var format: TraceFileFormat?
    public var strict: Bool
    /// Replay the whole trace once per container, one after another (the seed's experiment:
    /// the same startup in each container in turn); events' own container names are ignored.
    /// Not for a trace that names two or more containers itself (a recording of several
    /// containers): that one is bound by its names.
    public var eachContainerInTurn = false
    /// `--trace-dev`: device ("major:minor") → container for page-level events; when set,
    /// events of other devices are ignored (a raw capture sees every mounted filesystem).
    public var devices: [String: String] = [:]
    public init(url: URL, container: String? = nil, root: String? = nil, format: TraceFileFormat? = nil, strict: Bool = false,
                eachContainerInTurn: Bool = false) {
        self.url = url; self.container = container; self.root = root; self.format = format; self.strict = strict
        self.eachContainerInTurn = eachContainerInTurn
    }
}

extension TraceInput {
    /// The parser's name for `format`.
    var parserFormat: TraceFormat? { format.flatMap { TraceFormat(rawValue: $0.rawValue) } }
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
    /// Per container: its merged view when it is a layer stack, nil for a single image.
    public let stacks: [LayerStack?]
    public private(set) var diagnostics = ReplayDiagnostics()
    private var steps = ReplaySteps()
    /// Where each input's steps start in `steps` (the runs `ReplaySteps.sortByTime` merges).
    private var runStarts: [Int] = []
    private var nextHandle: Int64 = 1
    /// Added to `nextHandle` per open: streams bound side by side number handles apart
    /// (stream k of n: k + 1, k + 1 + n, ...), so their handles never collide.
    private var handleStride: Int64 = 1
    /// When set, steps go here instead of the store (a stream hands them out batch by batch).
    var streamed: [ReplayStep]?
    private var handleFiles: [Int64: SessionFile] = [:]
    private var clockEnd: Double = 0
    /// Each source (trace file, built-in workload) and the steps it added.
    private var sources: [(label: String, steps: Range<Int>)] = []

    public init(containers: [SessionContainer], catalogs: [ImageCatalog], stacks: [LayerStack?]? = nil) {
        self.containers = containers
        self.catalogs = catalogs
        self.stacks = stacks ?? containers.map { _ in nil }
    }

    /// The steps, sorted by time (ties keep input order), with time starting at 0.
    public func build() -> [ReplayStep] {
        var copy = self
        return Array(copy.takeSteps())
    }

    /// The steps, sorted by time (ties keep input order), with time starting at 0, moved out of
    /// the builder (which is left without steps): the workload is never held twice.
    public mutating func takeSteps() -> ReplaySteps {
        var out = ReplaySteps()
        swap(&out, &steps)
        let bounds = runStarts + [out.count]
        out.sortByTime(runs: zip(bounds, bounds.dropFirst()).map { $0..<$1 })
        runStarts = []
        return out
    }

    /// Starts a new run: the steps appended from here on come from one input.
    mutating func beginRun() {
        if runStarts.last != steps.count { runStarts.append(steps.count) }
    }

    /// Adds the steps `body` appends as coming from source `label` (for `sourceStarts()`).
    public mutating func source<T>(_ label: String, _ body: (inout TimelineBuilder) throws -> T) rethrows -> T {
        let first = steps.count
        let result = try body(&self)
        sources.append((label, first..<steps.count))
        return result
    }

    /// Each source that added steps and the time of its first step (on `build()`'s clock).
    public func sourceStarts() -> [(label: String, time: Double)] {
        // Times only (decoding every step's action would cost a pass over the workload).
        func earliest(_ range: Range<Int>) -> Double? { range.isEmpty ? nil : range.reduce(Double.infinity) { Swift.min($0, steps.time(at: $1)) } }
        let origin = earliest(0..<steps.count) ?? 0
        return sources.compactMap { source in earliest(source.steps).map { (source.label, $0 - origin) } }
    }

    /// Where the next sequential workload starts (one second after everything so far).
    var nextStart: Double { steps.isEmpty ? 0 : clockEnd + 1 }

    mutating func setDiagnostics(_ d: ReplayDiagnostics) { diagnostics = d }
    mutating func count(_ field: WritableKeyPath<ReplayDiagnostics, Int>) { diagnostics[keyPath: field] += 1 }
    mutating func emit(_ time: Double, _ container: Int, _ action: ReplayAction) { append(time, container, action) }
    mutating func newHandle(for file: SessionFile) -> Int64 {
        let h = nextHandle
        nextHandle += handleStride
        handleFiles[h] = file
        return h
    }
    func fileOfHandle(_ handle: Int64) -> SessionFile? { handleFiles[handle] }
    /// A closed handle names no file any more (a trace opens millions of times).
    mutating func forgetHandle(_ handle: Int64) { handleFiles[handle] = nil }
    /// Makes room for about `count` more steps at once, so the store never grows by copying.
    public mutating func reserveSteps(_ count: Int) { steps.reserve(count) }

    /// Makes this builder hand steps out (`streamed`) with handles of stream `index` of `count`.
    mutating func startStreaming(index: Int, of count: Int) {
        streamed = []
        nextHandle = Int64(index) + 1
        handleStride = Int64(max(1, count))
    }

    private mutating func append(_ time: Double, _ container: Int, _ action: ReplayAction) {
        if streamed != nil {
            streamed!.append(ReplayStep(time: time, container: container, action: action))
            return
        }
        if runStarts.isEmpty { runStarts.append(0) }
        steps.append(time: time, container: container, action)
        clockEnd = max(clockEnd, time)
    }

    // MARK: Built-in workloads

    /// Adds a built-in workload for `container`, starting after everything added so far.
    public mutating func add(_ workload: BuiltinWorkload, container: Int) {
        beginRun()
        if let stack = stacks[container] {
            do { try addReadAll(stack, container: container) } catch { diagnostics.outsideImage += 1 }
            return
        }
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

    /// Adds a built-in workload, failing when a stack's merged tree cannot be read.
    public mutating func addChecked(_ workload: BuiltinWorkload, container: Int) throws {
        if let stack = stacks[container] { try addReadAll(stack, container: container) } else { add(workload, container: container) }
    }

    /// read-all over a stack's merged view: every merged directory is read in each layer that
    /// contributes to it (overlayfs reads them all), and every visible file is read from the
    /// layer that holds it, so a layer shared by two stacks is one set of files.
    private mutating func addReadAll(_ stack: LayerStack, container: Int) throws {
        beginRun()
        let layers = containers[container].layers
        var time = nextStart
        let tick = 0.0001
        var directories: [SessionFile] = []
        var files: [(SessionFile, UInt64)] = []
        var seen = Set<SessionFile>()
        try stack.walk { event in
            guard case .entry(let entry) = event else { return }
            if entry.type == .directory {
                directories += entry.directories.map { SessionFile(image: layers[$0.layer], nid: $0.inode.nid) }
            } else if entry.type == .regular {
                let file = SessionFile(image: layers[entry.layer], nid: entry.inode.nid)
                if seen.insert(file).inserted { files.append((file, entry.inode.size)) }
            }
        }
        for file in directories {
            append(time, container, .readDirectory(file))
            time += tick
        }
        for (file, size) in files {
            let handle = newHandle(for: file)
            append(time, container, .open(file, handle: handle))
            var offset: UInt64 = 0
            repeat {
                append(time, container, .read(handle: handle, offset: offset, length: 128 << 10))
                offset += 128 << 10
            } while offset < size
            append(time, container, .close(handle: handle))
            time += tick
        }
    }
}
