import EROFS
import Foundation
import Workload

extension TimelineBuilder {
    /// Parses `input` and adds its events. Malformed lines are counted (or thrown when strict).
    public mutating func add(_ input: TraceInput) throws {
        let trace = try parseTrace(contentsOf: input.url, format: input.parserFormat, strict: input.strict)
        add(trace, input: input)
    }

    /// What streaming one input found: events parsed, system calls not modelled.
    public struct StreamedInput: Sendable {
        public var events = 0
        public var unhandledCalls: [String: Int] = [:]
    }

    /// Parses `input` batch by batch and binds each batch as it comes: the trace's events are
    /// never all in memory (only the steps they become). Same steps and diagnostics as
    /// `add(_:input:)` on the parsed trace; throws as `checkDevices` when the trace names
    /// several devices and nothing says which is which.
    public mutating func addStreaming(_ input: TraceInput) throws -> StreamedInput {
        var reader = try TraceReader(url: input.url, format: input.parserFormat, strict: input.strict)
        var batch = try reader.nextBatch()
        var found = StreamedInput()
        if input.eachContainerInTurn && input.devices.isEmpty && !Self.headerNamesSeveralContainers(reader.metadata) {
            // Whether the trace names several containers, and its first time, decide the
            // binding: one pass to find out, then one pass per container. (A header naming
            // several containers settles it without the pass: the trace binds by its names.)
            var names = Set<String>()
            var first: Double?
            var deviceCounts: [String: Int] = [:]
            var scan = batch
            while !scan.isEmpty {
                for event in scan {
                    if first == nil, let t = event.time { first = t }
                    if names.count < 2, let c = event.container { names.insert(c) }
                    if let d = Self.device(of: event) { deviceCounts[d, default: 0] += 1 }
                }
                scan = try reader.nextBatch()
            }
            try Self.checkDevices(seen: reader.metadata, input: input, counts: deviceCounts)
            names.formUnion(reader.metadata.containers)
            names.formUnion(reader.metadata.devices.values)
            if names.count < 2 {
                found.events = reader.summary.events
                found.unhandledCalls = reader.summary.unhandledCalls
                for d in reader.diagnostics { appendDiagnostic(input.url.lastPathComponent, d) }
                beginRun()
                for c in containers.indices {
                    var one = input
                    one.container = containers[c].name
                    var pass = try TraceReader(url: input.url, format: input.parserFormat, strict: input.strict)
                    var binder = TraceBinder(builder: self, input: one, metadata: pass.metadata)
                    binder.lookups = pass.format == .strace
                    binder.forcedContainer = c
                    binder.nidSourceImage = containers[0].image
                    binder.timeOffset = nextStart - (first ?? 0)
                    var events = try pass.nextBatch()
                    while !events.isEmpty {
                        binder.metadata = pass.metadata
                        for event in events { binder.bind(event) }
                        events = try pass.nextBatch()
                    }
                    self = binder.builder
                }
                return found
            }
            reader = try TraceReader(url: input.url, format: input.parserFormat, strict: input.strict)
            batch = try reader.nextBatch()
        }
        beginRun()
        var binder = TraceBinder(builder: self, input: input, metadata: reader.metadata)
        binder.lookups = reader.format == .strace
        var deviceCounts: [String: Int] = [:]
        let countDevices = input.devices.isEmpty
        // The rest is parsed on another thread while this one binds.
        let ahead = TraceParseAhead(reader, first: batch)
        while let (events, metadata) = try ahead.next() {
            binder.metadata = metadata
            for event in events {
                if countDevices, let d = Self.device(of: event) { deviceCounts[d, default: 0] += 1 }
                binder.bind(event)
            }
        }
        reader = ahead.finished
        try Self.checkDevices(seen: reader.metadata, input: input, counts: deviceCounts)
        self = binder.builder
        // Binding only counts; the trace's own diagnostics are listed as `add(_:input:)` lists them.
        for d in reader.diagnostics { appendDiagnostic(input.url.lastPathComponent, d) }
        found.events = reader.summary.events
        found.unhandledCalls = reader.summary.unhandledCalls
        return found
    }

    /// The device a page-level event names, if any.
    static func device(of event: TraceEvent) -> String? {
        switch event.kind {
        case .pageAdd(_, let d?, _, _), .pageDelete(_, let d?, _, _), .fault(.file(_, let d?), _),
             .mapPages(.file(_, let d?), _, _), .getPages(.file(_, let d?), _, _):
            return d
        default: return nil
        }
    }

    /// `checkDevices` from what a streamed parse saw and the events counted per device.
    static func checkDevices(seen metadata: TraceMetadata, input: TraceInput, counts: [String: Int]) throws {
        guard input.devices.isEmpty, metadata.devices.isEmpty, metadata.devicesSeen.count >= 2 else { return }
        let list = metadata.devicesSeen.map { "\($0) (\(counts[$0] ?? 0) events)" }.joined(separator: ", ")
        throw TraceBindingError(message: "\(input.url.lastPathComponent) has page events of several devices: \(list); say which device is which container with --trace-dev CONTAINER=MAJ:MIN")
    }

    /// Adds the events of an already parsed trace.
    mutating func add(_ trace: ParsedTrace, input: TraceInput) {
        beginRun()
        let name = input.url.lastPathComponent
        for d in trace.diagnostics {
            appendDiagnostic(name, d)
        }
        if input.eachContainerInTurn && input.devices.isEmpty && !Self.namesSeveralContainers(trace) {
            let first = trace.events.first { $0.time != nil }?.time ?? 0
            for c in containers.indices {
                var one = input
                one.container = containers[c].name
                var binder = TraceBinder(builder: self, input: one, metadata: trace.metadata)
                binder.lookups = trace.format == .strace
                binder.forcedContainer = c
                binder.nidSourceImage = containers[0].image
                binder.timeOffset = nextStart - first
                for event in trace.events { binder.bind(event) }
                self = binder.builder
            }
            return
        }
        var binder = TraceBinder(builder: self, input: input, metadata: trace.metadata)
        binder.lookups = trace.format == .strace
        for event in trace.events { binder.bind(event) }
        self = binder.builder
    }

    /// Refuses a raw ftrace capture whose page events name several devices when nothing says
    /// which device is which image (no `--trace-dev`, no native header): binding them all to
    /// one container would mix images.
    static func checkDevices(_ trace: ParsedTrace, input: TraceInput) throws {
        guard input.devices.isEmpty, trace.metadata.devices.isEmpty, trace.metadata.devicesSeen.count >= 2 else { return }
        var counts: [String: Int] = [:]
        for e in trace.events {
            switch e.kind {
            case .pageAdd(_, let d?, _, _), .pageDelete(_, let d?, _, _), .fault(.file(_, let d?), _),
                 .mapPages(.file(_, let d?), _, _), .getPages(.file(_, let d?), _, _):
                counts[d, default: 0] += 1
            default: break
            }
        }
        let list = trace.metadata.devicesSeen.map { "\($0) (\(counts[$0] ?? 0) events)" }.joined(separator: ", ")
        throw TraceBindingError(message: "\(input.url.lastPathComponent) has page events of several devices: \(list); say which device is which container with --trace-dev CONTAINER=MAJ:MIN")
    }

    /// Whether a trace speaks for two or more containers itself (its header's `containers` or
    /// `devices`, or its events' `c`), as `erofs-top record` writes them. Such a trace says who
    /// did what, so it is bound by those names and never replayed in each container in turn
    /// (which would run every container's events in every container).
    /// Whether a trace's header (known after its first batch) names several containers: the
    /// trace is then bound by its own names, whatever its events say.
    static func headerNamesSeveralContainers(_ metadata: TraceMetadata) -> Bool {
        Set(metadata.containers).union(metadata.devices.values).count >= 2
    }

    static func namesSeveralContainers(_ trace: ParsedTrace) -> Bool {
        var names = Set(trace.metadata.containers).union(trace.metadata.devices.values)
        for event in trace.events where names.count < 2 {
            if let c = event.container { names.insert(c) }
        }
        return names.count >= 2
    }

    mutating func appendDiagnostic(_ input: String, _ d: TraceDiagnostic) {
        var diagnostics = self.diagnostics
        diagnostics.traceDiagnostics.append((input, d))
        if d.severity == .error { diagnostics.malformedLines += 1 }
        setDiagnostics(diagnostics)
    }
}

/// Binds one trace's events to containers, images and handles.
struct TraceBinder {
    var builder: TimelineBuilder
    let input: TraceInput
    var metadata: TraceMetadata
    var mappings: [Int: PathMapping] = [:]
    /// (container, trace handle) → (session handle, file)
    var handles: [HandleKey: Int64] = [:]
    var lastTime: Double = 0
    /// Set when every event goes to one container regardless of what it names.
    var forcedContainer: Int?
    /// Added to every event time.
    var timeOffset: Double = 0
    /// When one trace is replayed in each container in turn: the image its inode numbers
    /// belong to (the first container's). In other images a nid names another file, so nids
    /// are carried over by path.
    var nidSourceImage: Int?

    /// The range of the last `get_pages` event per (container, pid, file), to recognise the
    /// kernel's continuation events (see ``isContinuation(_:first:last:)``).
    var lastGet: [ReaderKey: (first: UInt64, last: UInt64)] = [:]
    /// Model the path lookup of each opened path: the kernel reads the blocks of every directory
    /// on the way (`erofs_lookup`), which an strace log shows only as the path. Page-level
    /// traces carry those reads themselves.
    var lookups = false
    /// Directories already looked up, per container (their blocks stay cached).
    var lookedUp: Set<SessionFile> = []

    /// Paths already resolved, per container: a trace names the same few files again and again,
    /// so each distinct path is mapped, looked up and resolved once (cleared when a container's
    /// mapping learns its mount point, which can change what a path maps to).
    var resolvedPaths: [PathKey: ResolvedPath] = [:]
    struct PathKey: Hashable { var container: Int; var path: String }
    struct ResolvedPath { var file: SessionFile?; var lookedUp = false }

    struct HandleKey: Hashable { var container: Int; var handle: Int64 }
    struct ReaderKey: Hashable { var container: Int; var pid: Int32?; var file: SessionFile }

    /// The containers' names, by index (looked up per event).
    let containerNames: [String]

    init(builder: TimelineBuilder, input: TraceInput, metadata: TraceMetadata) {
        self.builder = builder
        containerNames = builder.containers.map(\.name)
        self.input = input
        self.metadata = metadata
    }

    func containerIndex(_ event: TraceEvent, device: String?) -> Int? {
        if let forcedContainer { return forcedContainer }
        let names = containerNames
        if let device, !input.devices.isEmpty {
            guard let c = input.devices[device] else { return nil } // another device: not ours
            return names.firstIndex(of: c)
        }
        if let c = event.container { return names.firstIndex(of: c) }
        if let device, input.container == nil, let c = metadata.devices[device] { return names.firstIndex(of: c) }
        if let c = input.container { return names.firstIndex(of: c) }
        return names.isEmpty ? nil : 0
    }

    mutating func resolve(_ ref: FileRef, container: Int) -> SessionFile? {
        let image = builder.containers[container].image
        let catalog = builder.catalogs[image]
        switch ref {
        case .nid where builder.stacks[container] != nil:
            // A nid alone does not say which layer of a stack it belongs to.
            return nil
        case .nid(var nid):
            if let source = nidSourceImage, source != image, nid != SessionFile.managedCacheNID {
                guard let translated = translate(nid, from: builder.catalogs[source], to: catalog) else { return nil }
                nid = translated
            }
            if nid == SessionFile.managedCacheNID && catalog.image.hasCompressedData { return .managedCache(of: image) }
            if nid == catalog.image.superblock.packedNID || nid == catalog.image.superblock.metaboxNID { return SessionFile(image: image, nid: nid) }
            return catalog.index(ofNID: nid) != nil ? SessionFile(image: image, nid: nid) : nil
        case .path(let path):
            if let known = resolvedPaths[PathKey(container: container, path: path)] { return known.file }
            let learned = mappings[container]?.learned
            let file = resolve(path: path, container: container)
            if mappings[container]?.learned != learned { resolvedPaths.removeAll() }
            resolvedPaths[PathKey(container: container, path: path)] = ResolvedPath(file: file)
            return file
        }
    }

    private mutating func resolve(path: String, container: Int) -> SessionFile? {
        let image = builder.containers[container].image
        let catalog = builder.catalogs[image]
        var mapping = mappings[container] ?? PathMapping(root: input.root)
        defer { mappings[container] = mapping }
        guard let inner = mapping.map(path, in: catalog) else { return nil }
        if let stack = builder.stacks[container] {
            // A stack: the merged view says which layer's file the path means.
            guard let entry = try? stack.resolve(inner, followFinalSymlink: true) else { return nil }
            return SessionFile(image: builder.containers[container].layers[entry.layer], nid: entry.inode.nid)
        }
        if let i = catalog.index(ofPath: inner), catalog.entries[i].type != .symlink {
            return SessionFile(image: image, nid: catalog.entries[i].nid)
        }
        guard let inode = try? catalog.image.resolve(inner, followFinalSymlink: true) else { return nil }
        return SessionFile(image: image, nid: inode.nid)
    }

    /// The nid in `target` of the file that has `nid` in `source`, found by path (the packed
    /// inode and metabox map to the target's own).
    func translate(_ nid: UInt64, from source: ImageCatalog, to target: ImageCatalog) -> UInt64? {
        let s = source.image.superblock, t = target.image.superblock
        if nid == s.packedNID { return t.packedNID == 0 ? nil : t.packedNID }
        if nid == s.metaboxNID { return t.metaboxNID }
        guard let i = source.index(ofNID: nid), let j = target.index(ofPath: source.entries[i].path) else { return nil }
        return target.entries[j].nid
    }

    /// `mm_filemap_get_pages` fires once per `filemap_get_pages` call with the range still to
    /// read (`ki_pos` page … the request's last page), and `filemap_read` calls it once per batch
    /// of folios: a read that spans batches (a batch ends at a PG_readahead folio or after 31
    /// folios) logs `0…255`, then `17…255`, `36…255`. The first event already stands for the
    /// whole read (the model's read walks the batches itself); replaying the rest again would
    /// count the pages they repeat as hits. A continuation: same reader and file, same last
    /// page, and a first page past the previous event's first.
    func isContinuation(_ key: ReaderKey, first: UInt64, last: UInt64) -> Bool {
        guard let previous = lastGet[key] else { return false }
        return last == previous.last && first > previous.first
    }

    /// Reads the directories on the way to `path` (in the image) once each, root first.
    mutating func lookUp(_ path: String, container c: Int, time: Double) {
        let image = builder.containers[c].image
        let catalog = builder.catalogs[image]
        var mapping = mappings[c] ?? PathMapping(root: input.root)
        defer { mappings[c] = mapping }
        guard let inner = mapping.map(path, in: catalog) else { return }
        var dir = ""
        let parts = inner.split(separator: "/")
        for (i, part) in ([""] + parts.dropLast()).enumerated() {
            if i > 0 { dir += "/" + part }
            guard let index = catalog.index(ofPath: dir.isEmpty ? "/" : dir), catalog.entries[index].type == .directory else { return }
            let f = SessionFile(image: image, nid: catalog.entries[index].nid)
            if lookedUp.insert(f).inserted { builder.emit(time, c, .readDirectory(f)) }
        }
    }

    mutating func bind(_ event: TraceEvent) {
        let time = event.time.map { $0 + timeOffset } ?? lastTime
        lastTime = time
        var device: String? = nil
        switch event.kind {
        case .pageAdd(_, let d, _, _), .pageDelete(_, let d, _, _): device = d
        case .fault(.file(_, let d), _), .mapPages(.file(_, let d), _, _), .getPages(.file(_, let d), _, _): device = d
        default: break
        }
        guard let c = containerIndex(event, device: device) else {
            builder.count(\.unknownContainer); return
        }
        func file(_ ref: FileRef) -> SessionFile? {
            let f = resolve(ref, container: c)
            if f == nil { builder.count(\.outsideImage) }
            return f
        }
        func target(_ t: FileTarget) -> SessionFile? {
            switch t {
            case .file(let ref, _): return file(ref)
            case .handle(let h):
                guard let session = handles[HandleKey(container: c, handle: h)], let f = builder.fileOfHandle(session) else { return nil }
                return f
            }
        }
        func handle(_ h: Int64) -> Int64? { handles[HandleKey(container: c, handle: h)] }
        switch event.kind {
        case .open(let ref, let h):
            guard let f = file(ref) else { return }
            if lookups, case .path(let path) = ref {
                // Looking a path up again reads nothing new: its directories stay cached.
                let key = PathKey(container: c, path: path)
                if resolvedPaths[key]?.lookedUp != true {
                    let learned = mappings[c]?.learned
                    lookUp(path, container: c, time: time)
                    if mappings[c]?.learned != learned { resolvedPaths.removeAll() }
                    resolvedPaths[key]?.lookedUp = true
                }
            }
            let session = builder.newHandle(for: f)
            handles[HandleKey(container: c, handle: h)] = session
            builder.emit(time, c, .open(f, handle: session))
        case .read(let h, let offset, let length):
            guard let s = handle(h) else { return }  // a host file: not ours
            builder.emit(time, c, .read(handle: s, offset: offset, length: length))
        case .pread(let h, let offset, let length):
            guard let s = handle(h) else { return }
            builder.emit(time, c, .pread(handle: s, offset: offset, length: length))
        case .mmap(let h, let offset, let length, _):
            guard let s = handle(h) else { return }
            builder.emit(time, c, .mmap(handle: s, offset: offset, length: length))
        case .close(let h):
            guard let s = handles.removeValue(forKey: HandleKey(container: c, handle: h)) else { return }
            builder.forgetHandle(s)
            builder.emit(time, c, .close(handle: s))
        case .fault(let t, let page):
            if let f = target(t) { builder.emit(time, c, .fault(f, page: page)) }
        case .mapPages(let t, let first, let last):
            if let f = target(t) { builder.emit(time, c, .mapPages(f, first: first, last: last)) }
        case .getPages(let t, let first, let last):
            guard let f = target(t) else { return }
            let key = ReaderKey(container: c, pid: event.pid, file: f)
            let continued = isContinuation(key, first: first, last: last)
            lastGet[key] = (first, last)
            if !continued { builder.emit(time, c, .getPages(f, first: first, last: last)) }
        case .pageAdd(let ref, _, let page, let count):
            if let f = file(ref) { builder.emit(time, c, .pageAdd(f, page: page, count: count)) }
        case .pageDelete(let ref, _, let page, let count):
            if let f = file(ref) { builder.emit(time, c, .pageDelete(f, page: page, count: count)) }
        case .dirRead(let ref):
            if let f = file(ref) { builder.emit(time, c, .readDirectory(f)) }
        case .note(let text):
            builder.emit(time, c, .note(text))
        }
    }
}

/// A trace that cannot be bound to the session's containers as given.
public struct TraceBindingError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
