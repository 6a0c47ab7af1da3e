import Foundation

/// Runs independent work on every core and returns the results in index order, whatever order
/// the work finished in: each index writes its own slot, so the outcome does not depend on
/// scheduling.
enum OrderedConcurrentMap {
    /// `body(i)` for every `i` in `0..<count`, indexes handed out in batches of `batch` to
    /// `workers` threads (the machine's cores by default); `[body(0), body(1), ...]`.
    static func map<T>(count: Int, batch: Int = 64, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                       _ body: (Int) -> T) -> [T] {
        let threads = max(1, min(workers, (count + batch - 1) / max(batch, 1)))
        guard threads > 1 else { return (0..<count).map(body) }
        let cursor = BatchCursor(count: count, batch: batch)
        // Each result is written straight into its slot of the returned array (no copy of
        // the results, which can be large: the sharing scan's files).
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let range = cursor.next() {
                    for i in range { (slots + i).initialize(to: body(i)) }
                }
            }
            // Every slot was initialised exactly once.
            initialized = count
        }
    }

    /// Hands out consecutive index ranges to the workers.
    private final class BatchCursor: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private let count: Int
        private let batch: Int
        init(count: Int, batch: Int) { self.count = count; self.batch = max(1, batch) }
        func next() -> Range<Int>? {
            lock.withLock {
                guard nextIndex < count else { return nil }
                let start = nextIndex
                nextIndex = min(count, start + batch)
                return start..<nextIndex
            }
        }
    }
}
