import EROFS
import Foundation
import PageCacheModel
import Workload

extension Session {
    /// The model's id for a file, registering it (and computing its placement under every
    /// design) the first time. Nil when the file cannot be read (it is then left out, see
    /// `unreadableFiles`); throws `ReplayFailure` when its image can no longer be read.
    /// The model's id for a file, registering it (and computing its placement under every
    /// design) the first time, and noting that the replay uses it. Nil when the file cannot be
    /// read (it is then left out, see `unreadableFiles`); throws `ReplayFailure` when its image
    /// can no longer be read.
    func fileID(for file: SessionFile) throws -> FileID? {
        guard let id = try registeredID(for: file) else { return nil }
        // A step's files count once the step is applied; a user action's at its position.
        registrar.noteUse(id, from: applyingStep ? position + 1 : position)
        return id
    }

    /// The model's id for a file, registering it without counting it as used (for views).
    func registeredID(for file: SessionFile) throws -> FileID? {
        if let id = registrar.id(of: file) { return id }
        guard unreadableFiles[file] == nil else { return nil }
        do {
            return try registrar.register(file)
        } catch {
            if let failure = replayFailure(after: error, image: file.image) {
                self.failure = failure
                throw failure
            }
            unreadableFiles[file] = "\(error)"
            return nil
        }
    }

    /// The session file behind a model file id.
    func sessionFile(_ id: FileID) -> SessionFile { registrar.sessionFile(id) }

    private func implicitHandle(_ container: Int, _ file: FileID) -> OpenFileID {
        let key = ReplayCursor.ImplicitKey(container: container, file: file)
        if let h = cursor.implicitHandles[key] { return h }
        let h = simulator.open(ContainerID(UInt16(container)), file)
        cursor.implicitHandles[key] = h
        return h
    }

    /// Applies the next step; false when the workload is finished. Throws `ReplayFailure` when
    /// the replay cannot go on (see `failure`).
    @discardableResult
    public func step() throws -> Bool {
        if let failure { throw failure }
        guard cursor.position < steps.count else { return false }
        applyingStep = true
        defer { applyingStep = false }
        try apply(steps[cursor.position])
        cursor.position += 1
        applyingStep = false
        try arrive()
        return true
    }

    /// Applies steps up to and including replay time `time`; returns how many.
    @discardableResult
    public func run(until time: Double) throws -> Int {
        var n = 0
        while position < steps.count, steps[position].time <= time { try step(); n += 1 }
        return n
    }

    /// Applies at most `count` steps; returns how many.
    @discardableResult
    public func run(steps count: Int) throws -> Int {
        var n = 0
        while n < count, try step() { n += 1 }
        return n
    }

    /// Replays everything that is left.
    public func runToEnd() throws {
        if streaming != nil, position == 0 {
            try runStreamed()
        } else {
            while try step() {}
        }
        simulator.sampleNow()
    }

    /// Whether the replay kept no steps and a fault event came too late for an mmap estimate:
    /// the figures differ from a stored replay's (`Session.replayed` redoes it then).
    var streamedReplayInvalid: Bool { streaming?.invalidated ?? false }

    /// The streamed replay: every trace parsed on its own thread and bound batch by batch, the
    /// inputs merged by time (ties to the earlier input, as `ReplaySteps.sortByTime` orders
    /// them) and applied as they come, with time from the first step.
    private func runStreamed() throws {
        let inputs = configuration.traces
        let streams = try inputs.indices.map {
            try TraceStepStream(inputs[$0], index: $0, of: inputs.count, containers: containers, catalogs: catalogs, stacks: stacks)
        }
        defer { streams.forEach { $0.cancel() } }
        var batches: [[ReplayStep]] = []
        var cursors: [Int] = []
        var firstTimes: [Double?] = Array(repeating: nil, count: streams.count)
        for (k, stream) in streams.enumerated() {
            let batch = try stream.nextBatch()
            batches.append(batch)
            cursors.append(0)
            firstTimes[k] = batch.first?.time
        }
        let origin = firstTimes.compactMap { $0 }.min() ?? 0
        for batch in batches { noteFaults(batch) }
        while true {
            // The earliest head; ties go to the lower input.
            var best = -1
            var bestTime = 0.0
            for k in batches.indices where cursors[k] < batches[k].count {
                let t = batches[k][cursors[k]].time
                if best < 0 || t < bestTime { best = k; bestTime = t }
            }
            guard best >= 0 else { break }
            var s = batches[best][cursors[best]]
            cursors[best] += 1
            s.time -= origin
            applyingStep = true
            try apply(s)
            applyingStep = false
            cursor.position += 1
            streaming!.clock = s.time
            try arrive()
            if cursors[best] == batches[best].count {
                batches[best] = try streams[best].nextBatch()
                cursors[best] = 0
                noteFaults(batches[best])
            }
        }
        var diagnostics = ReplayDiagnostics()
        var events = 0
        var unhandled: [String: Int] = [:]
        for stream in streams {
            let d = stream.diagnostics
            diagnostics.outsideImage += d.outsideImage
            diagnostics.unknownContainer += d.unknownContainer
            diagnostics.malformedLines += d.malformedLines
            diagnostics.traceDiagnostics += d.traceDiagnostics
            events += stream.found.events
            unhandled.merge(stream.found.unhandledCalls, uniquingKeysWith: +)
        }
        timelineDiagnostics = diagnostics
        traceEventCount = events
        unhandledCalls = unhandled
        sourceStarts = zip(inputs, firstTimes).compactMap { input, t in t.map { (input.url.lastPathComponent, $0 - origin) } }
    }

    /// Files with fault events are known only as their steps come: each is noted before its
    /// batch is applied; one judged without faults already invalidates the streamed replay.
    private func noteFaults(_ batch: [ReplayStep]) {
        for s in batch {
            switch s.action {
            case .fault(let f, _), .mapPages(let f, _, _):
                if filesWithFaultEvents.insert(f).inserted, streaming!.estimatedProgram || streaming!.estimated.contains(f) {
                    streaming!.invalidated = true
                }
            default: break
            }
        }
    }

    /// Reads a whole file through the model as `cat` would, in `container` (the UI's `r` key).
    /// False when the file cannot be read (`unreadableFiles` says why). The read is part of the
    /// replay's history from now on (see `UserAction`).
    @discardableResult
    public func read(_ file: SessionFile, container: Int) throws -> Bool {
        if let failure { throw failure }
        guard try readWhole(file, container: container) else { return false }
        record(UserAction(position: position, kind: .read(file, container: container)))
        return true
    }

    /// Empties every design's cache (echo 3 > drop_caches); part of the replay's history from
    /// now on (see `UserAction`).
    public func dropCaches() {
        simulator.dropCaches()
        record(UserAction(position: position, kind: .dropCaches))
    }

    func readWhole(_ file: SessionFile, container: Int) throws -> Bool {
        guard let id = try fileID(for: file) else { return false }
        let c = ContainerID(UInt16(container))
        if files[id].kind == .directory { simulator.readDirectory(c, id); return true }
        let h = simulator.open(c, id)
        var offset: UInt64 = 0
        repeat {
            simulator.read(h, offset: offset, length: 128 << 10)
            offset += 128 << 10
        } while offset < files[id].size
        simulator.close(h)
        return true
    }

    func apply(_ s: ReplayStep) throws {
        simulator.advance(to: s.time)
        let c = ContainerID(UInt16(s.container))
        let pageEvents = configuration.replayPageEvents
        switch s.action {
        case .open(let f, let h):
            guard !pageEvents, let id = try fileID(for: f) else { return }
            cursor.handles[h] = simulator.open(c, id)
            cursor.handleFiles[h] = f
        case .read(let h, let offset, let length):
            guard let mh = cursor.handles[h] else { return }
            simulator.read(mh, offset: offset, length: length)
        case .pread(let h, let offset, let length):
            guard let mh = cursor.handles[h] else { return }
            simulator.pread(mh, offset: offset, length: length)
        case .mmap(let h, let offset, let length):
            // strace shows the mapping but not which pages are touched: without fault events
            // for the file, they are estimated (Session+MmapEstimate).
            guard let mh = cursor.handles[h] else { return }
            if streaming != nil, let f = cursor.handleFiles[h], !filesWithFaultEvents.contains(f) {
                streaming!.estimated.insert(f)
                if offset == 0 && length >= TraceLimits.maxLength { streaming!.estimatedProgram = true }
            }
            try mapAndEstimate(container: c, handle: h, open: mh, offset: offset, length: length)
        case .close(let h):
            guard let mh = cursor.handles.removeValue(forKey: h) else { return }
            cursor.handleFiles[h] = nil
            cursor.pendingPlanPages[h] = nil
            simulator.close(mh)
        case .getPages(let f, let first, let last):
            guard !pageEvents, let id = try fileID(for: f), last >= first else { return }
            let length = (last - first + 1) * UInt64(4096)
            simulator.read(implicitHandle(s.container, id), offset: first * 4096, length: length)
        case .fault(let f, let page):
            guard !pageEvents, let id = try fileID(for: f) else { return }
            simulator.fault(c, id, page: page)
        case .mapPages(let f, let first, let last):
            guard !pageEvents, let id = try fileID(for: f), last >= first else { return }
            simulator.mapPages(c, id, pages: first..<(last + 1))
        case .pageAdd(let f, let page, let count):
            guard let id = try fileID(for: f) else { return }
            if pageEvents {
                simulator.pageAdd(c, id, page: page, count: count)
            } else if files[id].kind != .regular {
                // Directory blocks are read without get_pages events; their adds are the reads.
                simulator.accessPages(c, id, pages: page..<(page + count))
            }
        case .pageDelete(let f, let page, let count):
            guard pageEvents, let id = try fileID(for: f) else { return }
            simulator.pageDelete(c, id, page: page, count: count)
        case .readDirectory(let f):
            guard let id = try fileID(for: f) else { return }
            simulator.readDirectory(c, id)
        case .note(let text):
            cursor.lastNote = text
        }
    }
}
