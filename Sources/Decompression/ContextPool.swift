#if canImport(Glibc)
import Glibc
#endif

/// Library decoder contexts kept for reuse: a call takes one (or makes one), uses it alone and
/// gives it back, so contexts are not allocated and freed per pcluster, and concurrent calls on
/// several threads each get their own. At most `keep` idle contexts are kept; more are freed.
final class ContextPool: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var idle: [OpaquePointer] = []
    private let make: () -> OpaquePointer?
    private let free: (OpaquePointer) -> Void
    private let keep: Int

    init(keep: Int = 8, make: @escaping () -> OpaquePointer?, free: @escaping (OpaquePointer) -> Void) {
        self.make = make
        self.free = free
        self.keep = keep
        pthread_mutex_init(mutex, nil)
    }

    /// Runs `body` with a context of its own; nil when no context could be made (out of memory).
    func withContext<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result? {
        pthread_mutex_lock(mutex)
        let taken = idle.popLast()
        pthread_mutex_unlock(mutex)
        guard let context = taken ?? make() else { return nil }
        defer {
            pthread_mutex_lock(mutex)
            if idle.count < keep { idle.append(context) } else { free(context) }
            pthread_mutex_unlock(mutex)
        }
        return try body(context)
    }
}
