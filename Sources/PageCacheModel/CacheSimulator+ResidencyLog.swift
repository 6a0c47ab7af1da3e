/// Which pages came into or left the cache since a moment, so views can update figures derived
/// from residency (per-file cached pages and the like) without looking at every page again.
extension CacheSimulator {
    /// A moment of the residency log (see ``residencyMark`` and ``residencyChanges(since:)``).
    public struct ResidencyMark: Equatable, Sendable {
        fileprivate var epoch: UInt64
        fileprivate var count: Int
    }

    /// Entries the log holds before it starts over (then consumers compute from scratch).
    static var residencyLogLimit: Int { 1 << 19 }

    /// The log's current moment.
    public var residencyMark: ResidencyMark { ResidencyMark(epoch: residencyEpoch, count: residencyLog.count) }

    /// The keys that were added to or removed from the cache since `mark` (a key may appear
    /// several times; ask ``isResident(_:)`` for its state now), or nil when the simulator
    /// cannot tell (it was restored, dropped its caches or had too many changes since).
    public func residencyChanges(since mark: ResidencyMark) -> ArraySlice<PageKey>? {
        guard mark.epoch == residencyEpoch, mark.count <= residencyLog.count else { return nil }
        return residencyLog[mark.count...]
    }

    @inline(__always)
    func noteResidencyChange(_ key: PageKey) {
        if residencyLog.count >= Self.residencyLogLimit { forgetResidencyChanges() }
        residencyLog.append(key)
    }

    /// Starts the log over: earlier marks no longer list changes.
    func forgetResidencyChanges() {
        residencyLog.removeAll(keepingCapacity: true)
        residencyEpoch &+= 1
    }
}
