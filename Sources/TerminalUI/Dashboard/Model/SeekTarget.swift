/// Where to move the replay (`DashboardDataSource.seek(to:)`).
public enum SeekTarget: Equatable, Sendable {
    /// The replay stands after this many events (0: the start, `eventsTotal`: the end).
    case event(Int)
    /// Every event with time <= t (seconds from the start) applied, none later.
    case time(Double)
    /// Forward (positive) or back (negative) by this fraction of `eventsTotal`
    /// from the current position, clamped to the workload.
    case relative(fraction: Double)
}

extension DashboardDataSource {
    /// By default a source cannot seek.
    public func seek(to target: SeekTarget) throws -> String? { "seek not available" }
}
