#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in seconds, as the app loop sees it.
public protocol AppClock: AnyObject {
    var now: Double { get }
}

/// The real monotonic clock.
public final class SystemClock: AppClock {
    public init() {}

    public var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A clock that moves only when told to, for deterministic tests. Attach it to
/// a `GridTerminal` so each idle read advances it by the timeout:
///
///     terminal.onIdle = { clock.advance(milliseconds: $0) }
public final class ManualClock: AppClock {
    public private(set) var now: Double

    public init(now: Double = 0) { self.now = now }

    public func advance(by seconds: Double) { now += seconds }
    public func advance(milliseconds ms: Int) { now += Double(ms) / 1000 }
}
