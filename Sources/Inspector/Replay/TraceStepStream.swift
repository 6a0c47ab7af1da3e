import EROFS
import Foundation
import Workload

/// A trace input turned into replay steps as it is read, for a replay that keeps no steps
/// (`erofs-top report`): a reader thread parses batches ahead, the caller binds each batch as
/// it needs it, so memory holds a few batches, never the workload. The steps come in the
/// input's own order and are the ones `TimelineBuilder.addStreaming` would store.
final class TraceStepStream {
    let input: TraceInput
    private let parse: ParseAhead
    private var binder: TraceBinder
    private var deviceCounts: [String: Int] = [:]
    private var lastTime = -Double.infinity
    private(set) var isAtEnd = false
    /// Events the trace held, and system calls not modelled (once at the end).
    private(set) var found = TimelineBuilder.StreamedInput()
    /// What binding and parsing found (complete once `isAtEnd`).
    private(set) var diagnostics = ReplayDiagnostics()

    /// Stream `index` of `count` bound side by side (their handles are numbered apart).
    init(_ input: TraceInput, index: Int, of count: Int, containers: [SessionContainer], catalogs: [ImageCatalog], stacks: [LayerStack?]) throws {
        self.input = input
        let reader = try TraceReader(url: input.url, format: input.parserFormat, strict: input.strict)
        var builder = TimelineBuilder(containers: containers, catalogs: catalogs, stacks: stacks)
        builder.startStreaming(index: index, of: count)
        binder = TraceBinder(builder: builder, input: input, metadata: reader.metadata)
        binder.lookups = reader.format == .strace
        parse = ParseAhead(reader)
    }

    /// The next steps in order; empty only at the end. Throws what parsing threw,
    /// `checkDevices`'s error at the end, and `StreamOrderError` when the input is not in time
    /// order (a stored replay sorts it).
    func nextBatch() throws -> [ReplayStep] {
        while !isAtEnd {
            guard let (events, metadata) = try parse.next() else {
                try finish()
                break
            }
            binder.metadata = metadata
            let countDevices = input.devices.isEmpty
            for event in events {
                if countDevices, let d = TimelineBuilder.device(of: event) { deviceCounts[d, default: 0] += 1 }
                binder.bind(event)
            }
            let steps = binder.builder.streamed ?? []
            binder.builder.streamed = []
            guard !steps.isEmpty else { continue }
            for s in steps {
                guard s.time >= lastTime else { throw StreamOrderError(input: input.url.lastPathComponent) }
                lastTime = s.time
            }
            return steps
        }
        return []
    }

    /// Stops the reader thread (a replay given up before the end).
    func cancel() { parse.cancel() }

    private func finish() throws {
        isAtEnd = true
        let reader = parse.reader
        try TimelineBuilder.checkDevices(seen: reader.metadata, input: input, counts: deviceCounts)
        found.events = reader.summary.events
        found.unhandledCalls = reader.summary.unhandledCalls
        var diagnostics = binder.builder.diagnostics
        for d in reader.diagnostics {
            diagnostics.traceDiagnostics.append((input.url.lastPathComponent, d))
            if d.severity == .error { diagnostics.malformedLines += 1 }
        }
        self.diagnostics = diagnostics
    }
}

/// A trace that is not in time order cannot be replayed as it is read.
struct StreamOrderError: Error, CustomStringConvertible {
    var input: String
    var description: String { "\(input) is not in time order" }
}

/// Parses a trace on its own thread, a few batches ahead of the consumer.
private final class ParseAhead: @unchecked Sendable {
    private let lock = NSCondition()
    private var ready: [([TraceEvent], TraceMetadata)] = []
    private var done = false
    private var failure: Error?
    private var stopped = false
    private var readerStore: TraceReader
    /// Batches parsed ahead at most.
    private let depth = 4

    init(_ reader: TraceReader) {
        readerStore = reader
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops parsing (the thread ends at its next batch).
    func cancel() {
        lock.lock(); stopped = true; lock.broadcast(); lock.unlock()
    }

    /// The reader, once parsing is over (its summary and diagnostics).
    var reader: TraceReader {
        lock.lock(); defer { lock.unlock() }
        while !done { lock.wait() }
        return readerStore
    }

    private func run() {
        lock.lock()
        var reader = readerStore
        lock.unlock()
        while true {
            let batch: [TraceEvent]
            do { batch = try reader.nextBatch(maxEvents: 8192) } catch {
                lock.lock(); failure = error; done = true; readerStore = reader; lock.broadcast(); lock.unlock()
                return
            }
            lock.lock()
            if batch.isEmpty || stopped {
                done = true; readerStore = reader; lock.broadcast(); lock.unlock()
                return
            }
            while ready.count >= depth && !stopped { lock.wait() }
            ready.append((batch, reader.metadata))
            lock.broadcast()
            lock.unlock()
        }
    }

    /// The next parsed batch and the metadata known then; nil at the end.
    func next() throws -> ([TraceEvent], TraceMetadata)? {
        lock.lock(); defer { lock.unlock() }
        while ready.isEmpty && !done { lock.wait() }
        if !ready.isEmpty {
            let b = ready.removeFirst()
            lock.broadcast()
            return b
        }
        if let failure { throw failure }
        return nil
    }
}
