/// Paces a session's replay against a wall clock: speed, pause, single steps and seeks. The
/// terminal UI ticks it every frame; `replay --batch` seeks it from one progress line to the next.
///
/// Seeks re-simulate from the session's saved moments (the driver turns them on), so going back
/// costs at most about a 64th of the workload's steps.
public final class ReplayDriver {
    public let session: Session
    /// Trace seconds per wall-clock second.
    public private(set) var speed: Double
    public private(set) var isPaused = false
    /// Most steps applied per tick, so a front end stays responsive on huge traces.
    public var maxStepsPerTick = 20_000
    /// Wall-clock time of the previous tick.
    private var lastNow: Double?
    /// The replay time the wall clock has reached (steps up to it are applied).
    private var replayClock: Double = 0

    public init(session: Session, speed: Double = 1, checkpoints: Bool = true) {
        self.session = session
        self.speed = speed
        if checkpoints { session.keepCheckpoints() }
        replayClock = session.clock
    }

    /// Advances the replay by the wall time since the last tick, times the speed; idle gaps
    /// longer than two seconds of wall time are skipped. Returns the steps applied. Throws
    /// `ReplayFailure` as `Session.step()` does.
    @discardableResult
    public func tick(now: Double) throws -> Int {
        defer { lastNow = now }
        guard let last = lastNow, !isPaused, !session.isFinished else { return 0 }
        replayClock += max(0, now - last) * speed
        let steps = session.steps
        if session.position < steps.count, steps[session.position].time > replayClock + 2 * speed {
            replayClock = steps[session.position].time
        }
        var applied = 0
        while applied < maxStepsPerTick, session.position < steps.count, steps[session.position].time <= replayClock {
            try session.step()
            applied += 1
        }
        return applied
    }

    /// Pauses or resumes.
    public func togglePause() { isPaused.toggle() }

    /// Pauses and applies one step; false when the replay is finished.
    @discardableResult
    public func step() throws -> Bool {
        isPaused = true
        guard try session.step() else { return false }
        replayClock = session.clock
        return true
    }

    /// Doubles the speed (at most 10⁶×).
    public func faster() { speed = min(speed * 2, 1e6) }
    /// Halves the speed (at least 10⁻⁶×).
    public func slower() { speed = max(speed / 2, 1e-6) }

    /// Puts the replay at event `event` (steps applied); the wall clock follows.
    public func seek(toEvent event: Int) throws {
        try session.seek(toEvent: event)
        replayClock = session.clock
    }

    /// Puts the replay after every step with time ≤ `time`; the clock continues from `time`.
    public func seek(toTime time: Double) throws {
        try session.seek(toTime: time)
        replayClock = max(session.clock, min(time, session.duration))
    }

    /// Moves by `fraction` of the workload's steps (negative: back).
    public func seek(byFraction fraction: Double) throws {
        let delta = Int((fraction * Double(session.steps.count)).rounded())
        try seek(toEvent: session.position + (delta == 0 ? (fraction < 0 ? -1 : fraction > 0 ? 1 : 0) : delta))
    }

    /// Changes the model's settings, re-simulating to the current position (`Session.apply(_:)`).
    public func apply(_ settings: ModelSettings) throws {
        try session.apply(settings)
    }
}
