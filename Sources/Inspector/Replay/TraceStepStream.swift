import EROFS
import Foundation
import Workload

/// A trace input turned into replay steps as it is read, for a replay that keeps no steps
/// (`erofs-top report`): a reader thread parses batches ahead, the caller binds each batch as
/// it needs it, so memory holds a few batches, never the workload. The steps come in the
/// input's own order and are the ones `TimelineBuilder.addStreaming` would store.
final class TraceStepStream {
    let input: TraceInput
    private let parse: TraceParseAhead
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
        parse = TraceParseAhead(reader, batchSize: 8192)
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
        let reader = parse.finished
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
