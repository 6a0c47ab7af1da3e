import PageCacheModel

/// Going back and forth in the replay: saved moments (checkpoints), the user's actions as part
/// of the history, and seeks that re-simulate from the nearest saved moment.
///
/// How user actions and seeks interact: a read or drop-caches the user asks for is recorded at
/// the position it was made (`userActions`) and applied whenever the replay arrives at that
/// position again, after a seek back or a change of settings. So the state at event N is a
/// function of the workload, the settings and the recorded actions only: seeking to N always
/// gives what replaying N steps from the start (with the actions at their positions) gives.
extension Session {
    /// Starts saving a moment every `interval` steps as the replay goes (default: a 64th of the
    /// workload, at least 2 048 steps), so that seeking back replays at most about that many.
    /// Without it, a seek back replays from the start. Costs a copy of the model per moment.
    public func keepCheckpoints(every interval: Int? = nil) {
        checkpoints.enable(interval: interval ?? max(2048, steps.count / checkpoints.limit))
    }

    /// Puts the replay at event `target` (steps applied, 0 … `steps.count`), re-simulating from
    /// the nearest saved moment when it goes back. Throws `ReplayFailure` as `step()` does.
    public func seek(toEvent target: Int) throws {
        if let failure { throw failure }
        let target = min(max(0, target), steps.count)
        let saved = checkpoints.latest(atOrBefore: target)
        if target < position || (saved.map { $0.cursor.position > position } ?? false) {
            if let saved {
                simulator.restore(saved.model)
                cursor = saved.cursor
            } else {
                restart()
            }
        }
        while position < target { try step() }
    }

    /// Puts the replay after every step with time ≤ `time` (and before the others).
    public func seek(toTime time: Double) throws {
        try seek(toEvent: firstStep(after: time))
    }

    /// Index of the first step with time ≥ `time`.
    public func firstStep(atOrAfter time: Double) -> Int {
        var lo = 0, hi = steps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if steps[mid].time < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Index of the first step with time > `time` (steps are time-ordered).
    public func firstStep(after time: Double) -> Int {
        var lo = 0, hi = steps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if steps[mid].time <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Back to the empty model at position 0, with the user's actions made there applied.
    func restart() {
        simulator.restore(checkpoints.start)
        cursor = ReplayCursor()
        try? arrive()
    }

    /// Called on reaching `position`: applies the user actions recorded there, then saves a
    /// moment when one is due.
    func arrive() throws {
        let p = position
        if let first = firstUserAction(at: p) {
            for action in userActions[first...] {
                guard action.position == p else { break }
                switch action.kind {
                case .read(let file, let container): _ = try readWhole(file, container: container)
                case .dropCaches: simulator.dropCaches()
                }
            }
        }
        if checkpoints.isDue(p) {
            checkpoints.save(.init(cursor: cursor, model: simulator.saveState()))
        }
    }

    private func firstUserAction(at position: Int) -> Int? {
        guard let last = userActions.last, last.position >= position else { return nil }
        var lo = 0, hi = userActions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if userActions[mid].position < position { lo = mid + 1 } else { hi = mid }
        }
        return lo < userActions.count && userActions[lo].position == position ? lo : nil
    }

    /// Adds an action just made at the current position to the history; saved moments from
    /// here on no longer hold.
    func record(_ action: UserAction) {
        let at = userActions.firstIndex { $0.position > action.position } ?? userActions.count
        userActions.insert(action, at: at)
        checkpoints.discard(from: action.position)
    }
}
