import PageCacheModel

/// Where a session's replay is: the next step, the trace's handles open at that point and what
/// the replay has noted so far. Together with the simulators' state, it is all a checkpoint
/// needs to put the replay back to that moment.
struct ReplayCursor {
    struct ImplicitKey: Hashable { var container: Int; var file: FileID }

    /// Index of the next step to replay.
    var position = 0
    /// The model's open file behind each open trace handle.
    var handles: [Int64: OpenFileID] = [:]
    /// Open files for `get_pages` events, which name no handle (one per container and file).
    var implicitHandles: [ImplicitKey: OpenFileID] = [:]
    /// The file behind each open trace handle (for mmap estimates).
    var handleFiles: [Int64: SessionFile] = [:]
    /// Loader-plan pages not yet touched, per open handle (a loader maps an object in pieces).
    var pendingPlanPages: [Int64: Set<UInt64>] = [:]
    /// Mapped file bytes with no fault events (estimated or not), for the report's note.
    var unobservedMappedBytes: UInt64 = 0
    /// The last `note` the workload reached.
    var lastNote: String?
}

/// Something the user did to a replay (the UI's `r` and drop-caches keys), at the position it
/// was done: it stays part of the replay's history, so going back before it and forward again
/// applies it again, and changed settings re-simulate it too.
public struct UserAction: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A whole file read as `cat` would, in a container.
        case read(SessionFile, container: Int)
        /// echo 3 > drop_caches.
        case dropCaches
    }
    /// Steps applied when it was done: it comes after step `position - 1` and before step `position`.
    public var position: Int
    public var kind: Kind
    public init(position: Int, kind: Kind) { self.position = position; self.kind = kind }
}

/// Saved moments of one replay, every `interval` steps, to seek back without replaying from
/// the start. The count is bounded: when there are more than `limit`, every other one goes
/// and the interval doubles, so a seek replays at most about `steps / limit` steps.
struct ReplayCheckpoints {
    struct Checkpoint {
        var cursor: ReplayCursor
        var model: [CacheSimulator.State]
    }
    /// The empty model, before anything (also before user actions at position 0).
    let start: [CacheSimulator.State]
    /// Saved moments after arriving at their position (user actions there applied), by position.
    private(set) var saved: [Checkpoint] = []
    /// Steps between saved moments (0: none are saved).
    private(set) var interval = 0
    /// Most saved moments kept.
    let limit: Int

    init(start: [CacheSimulator.State], limit: Int = 64) {
        self.start = start
        self.limit = limit
    }

    /// Starts saving every `interval` steps (the replay calls `saveIfDue` as it goes).
    mutating func enable(interval: Int) {
        guard self.interval == 0 else { return }
        self.interval = max(1, interval)
    }

    /// Whether the replay should save a moment at `position`.
    func isDue(_ position: Int) -> Bool {
        interval > 0 && position > 0 && position % interval == 0 && latest(atOrBefore: position)?.cursor.position != position
    }

    /// Saves a moment, in position order.
    mutating func save(_ checkpoint: Checkpoint) {
        let at = saved.firstIndex { $0.cursor.position > checkpoint.cursor.position } ?? saved.count
        saved.insert(checkpoint, at: at)
        if saved.count > limit {
            interval *= 2
            saved.removeAll { $0.cursor.position % interval != 0 }
        }
    }

    /// The latest saved moment at or before `position`.
    func latest(atOrBefore position: Int) -> Checkpoint? {
        var lo = 0, hi = saved.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if saved[mid].cursor.position <= position { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : saved[lo - 1]
    }

    /// Forgets moments at or after `position` (the history changed there).
    mutating func discard(from position: Int) {
        saved.removeAll { $0.cursor.position >= position }
    }
}
