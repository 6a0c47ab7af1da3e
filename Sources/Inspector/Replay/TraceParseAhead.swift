import Foundation
import Workload

/// Parses a trace on its own thread, a few batches ahead of the thread binding them, so parsing
/// and binding run on two cores. The batches, and the metadata known after each, are the ones
/// the reader's `nextBatch` gives in turn; memory holds at most `depth` batches.
final class TraceParseAhead: @unchecked Sendable {
    private let lock = NSCondition()
    private var ready: [(events: [TraceEvent], metadata: TraceMetadata)] = []
    private var done = false
    private var failure: Error?
    private var stopped = false
    private var reader: TraceReader
    /// Batches parsed ahead at most.
    private let depth = 4
    /// Events per batch.
    private let batchSize: Int

    /// Starts parsing `reader`, after `first` when given: a batch already taken from it (handed
    /// out first; empty means the trace has ended).
    init(_ reader: TraceReader, first: [TraceEvent]? = nil, batchSize: Int = 4096) {
        self.reader = reader
        self.batchSize = batchSize
        if let first {
            if !first.isEmpty { ready.append((first, reader.metadata)) } else { done = true }
        }
        guard !done else { return }
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func run() {
        lock.lock()
        var local = reader
        lock.unlock()
        while true {
            let batch: [TraceEvent]
            do { batch = try local.nextBatch(maxEvents: batchSize) } catch {
                lock.lock(); failure = error; done = true; reader = local; lock.broadcast(); lock.unlock()
                return
            }
            lock.lock()
            if batch.isEmpty || stopped {
                done = true; reader = local; lock.broadcast(); lock.unlock()
                return
            }
            while ready.count >= depth && !stopped { lock.wait() }
            ready.append((batch, local.metadata))
            lock.broadcast()
            lock.unlock()
        }
    }

    /// Stops parsing (the thread ends at its next batch).
    func cancel() {
        lock.lock(); stopped = true; lock.broadcast(); lock.unlock()
    }

    /// The next batch and the metadata known then; nil at the end. Throws what parsing threw.
    func next() throws -> (events: [TraceEvent], metadata: TraceMetadata)? {
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

    /// The reader once `next` returned nil (its summary, diagnostics and metadata).
    var finished: TraceReader {
        lock.lock(); defer { lock.unlock() }
        while !done { lock.wait() }
        return reader
    }
}
