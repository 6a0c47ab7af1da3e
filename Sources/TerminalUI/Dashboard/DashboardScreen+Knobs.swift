/// The `o` knobs panel: opening it, passing it keys, applying its settings.
extension DashboardScreen {
    mutating func openKnobs() {
        guard let knobs else {
            message = "no model settings to change here"
            return
        }
        knobsEditor = KnobsEditor(knobs)
    }

    mutating func handleKnobs(_ key: Key) throws -> Action {
        guard var editor = knobsEditor else { return .ignored }
        if case .mouse = key { return .ignored }
        let outcome = editor.handle(key)
        knobsEditor = editor
        switch outcome {
        case .handled:
            return .handled
        case .ignored:
            return .ignored
        case .cancelled:
            knobsEditor = nil
            message = "settings unchanged"
        case .apply(let settings):
            knobsEditor = nil
            if settings == editor.original {
                message = "settings unchanged"
            } else {
                message = try source.apply(knobs: settings) ?? "applied: " + DashboardFormat.knobs(settings, unicode: true)[0]
            }
        }
        refresh()
        return .handled
    }
}
