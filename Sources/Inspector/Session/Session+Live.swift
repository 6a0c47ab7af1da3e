import Foundation

extension Session {
    /// Applies one action that is not part of the session's timeline, as the live view does
    /// with the kernel's events as they arrive. `time` is seconds since the start and must not
    /// decrease. Throws `ReplayFailure` as `step()` does.
    public func applyLive(_ action: ReplayAction, container: Int, time: Double) throws {
        if let failure { throw failure }
        try apply(ReplayStep(time: time, container: container, action: action))
    }
}
