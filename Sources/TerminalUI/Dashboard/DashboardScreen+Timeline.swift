/// Seeking the replay: `[`/`]` and `{`/`}` step by 1 % and 10 %, `g` opens a
/// line to type a time or an event number, Home/End jump to the ends (in the
/// all-policies view, or when the focused panel has no rows to move in), and a
/// click on the timeline bar seeks to that point.
extension DashboardScreen {
    static let goToPrompt = "go to (seconds, #event or %): "

    /// Seeks and shows the source's status line.
    mutating func seek(_ target: SeekTarget) throws {
        message = try source.seek(to: target) ?? DashboardScreen.describe(target)
    }

    static func describe(_ target: SeekTarget) -> String {
        switch target {
        case .event(let n): return "at event \(n)"
        case .time(let t): return "at \(DashboardFormat.seconds(t))"
        case .relative(let f): return "moved \(f < 0 ? "back" : "on") \(Int((abs(f) * 100).rounded()))%"
        }
    }

    /// What the `g` line means: `12.5` or `12.5s` a time, `#123` an event
    /// number, `40%` a fraction of the events; nil when it is none of these.
    static func parseGoTo(_ text: String, eventsTotal: Int) -> SeekTarget? {
        let t = text.filter { $0 != " " }.lowercased()
        if t.hasPrefix("#") {
            guard let n = Int(t.dropFirst()), n >= 0 else { return nil }
            return .event(n)
        }
        if t.hasSuffix("%") {
            guard let p = Double(t.dropLast()), p.isFinite, p >= 0, p <= 100 else { return nil }
            return .event(Int((p / 100 * Double(eventsTotal)).rounded()))
        }
        let number = t.hasSuffix("s") ? String(t.dropLast()) : t
        guard let seconds = Double(number), seconds.isFinite, seconds >= 0 else { return nil }
        return .time(seconds)
    }

    mutating func handleGoTo(_ key: Key) throws -> Action {
        guard var input = goTo else { return .ignored }
        let event = input.handle(key)
        goTo = input
        switch event {
        case .submitted(let text):
            goTo = nil
            guard !text.isEmpty else { break }
            if let target = DashboardScreen.parseGoTo(text, eventsTotal: timeline?.eventsTotal ?? 0) {
                try seek(target)
            } else {
                message = "not a time, #event or %: \(text)"
            }
        case .cancelled:
            goTo = nil
        case .changed, .moved:
            return .handled
        case .ignored:
            return .ignored
        }
        refresh()
        return .handled
    }
}
