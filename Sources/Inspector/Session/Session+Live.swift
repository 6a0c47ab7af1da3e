import Foundation
import PageCacheModel

extension Session {
    /// Applies one action that is not part of the session's timeline, as the live view does
    /// with the kernel's events as they arrive. `time` is seconds since the start and must not
    /// decrease. Throws `ReplayFailure` as `step()` does.
    public func applyLive(_ action: ReplayAction, container: Int, time: Double) throws {
        if let failure { throw failure }
        try apply(ReplayStep(time: time, container: container, action: action))
    }
}

extension Session {
    /// Puts pages that are already cached into every design's model (the live view starts on a
    /// warm host): under each design they land in that design's space, so pages shared by a
    /// design count once. False when the file cannot be read.
    @discardableResult
    public func seedLive(_ file: SessionFile, page: UInt64, count: UInt64, container: Int) throws -> Bool {
        if let failure { throw failure }
        guard let id = try fileID(for: file) else { return false }
        simulator.pageAdd(ContainerID(UInt16(container)), id, page: page, count: count)
        return true
    }
}
