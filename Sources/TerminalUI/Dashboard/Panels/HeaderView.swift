/// The three header lines: policies and replay state, the containers, and
/// meters for page cache used, saved versus `none` and the overall hit rate.
/// The model settings in force (`knobs`) end the second line when there is room.
///
///     erofs-top  policy: none [blob] inode chunk    RUN 12.3s 1234/5000 events 24% x4
///     containers: 1 base (base.erofs)  2 app-v1 (v1.erofs)    ra 128K fa 64K cache ∞
///     Cache[||||||   312 MiB] Saved[|||   286 MiB vs none] Hits[||||||| 82%]
struct HeaderView {
    static let height = 3

    var header: DashboardHeader
    var knobs: ModelKnobs?

    func draw(in canvas: Canvas) {
        let theme = canvas.theme
        guard canvas.height >= HeaderView.height else { return }

        // Line 1: title, policies, replay.
        var col = 0
        canvas.put(row: 0, col: col, "erofs-top", style: theme.headerValue)
        col += 11
        canvas.put(row: 0, col: col, "policy:", style: theme.headerLabel)
        col += 8
        for policy in header.policies {
            let active = policy == header.policy
            canvas.put(row: 0, col: col, " \(policy) ", style: active ? theme.activePolicy : theme.inactivePolicy)
            col += policy.count + 2
        }
        if let note = header.note {
            let room = max(0, canvas.width - col - 2)
            let text = note.count > room ? String(note.prefix(room)) : note
            canvas.put(row: 0, col: max(col + 2, canvas.width - text.count), text, style: theme.text)
        } else {
            drawReplay(in: canvas, from: col)
        }
        drawContainersAndMeters(in: canvas)
    }

    private func drawReplay(in canvas: Canvas, from col: Int) {
        let theme = canvas.theme
        let r = header.replay
        let state = r.finished ? "DONE" : (r.paused ? "PAUSED" : "RUN")
        let clock = DashboardFormat.seconds(r.clock), speed = DashboardFormat.speed(r.speed)
        let progress = DashboardFormat.percent(r.progress)
        let room = canvas.width - col - 2 - state.count - 1
        let replay = [
            "\(clock)  \(r.eventsDone)/\(r.eventsTotal) events \(progress)  \(speed)",
            "\(clock) \(r.eventsDone)/\(r.eventsTotal) \(progress) \(speed)",
            "\(clock) \(progress) \(speed)",
        ].first { $0.count <= room } ?? "\(progress) \(speed)"
        let replayCol = max(col + 2, canvas.width - replay.count - state.count - 1)
        canvas.put(row: 0, col: replayCol, state, style: r.paused || r.finished ? theme.replayPaused : theme.replayRunning)
        canvas.put(row: 0, col: replayCol + state.count + 1, replay, style: theme.text)

    }

    private func drawContainersAndMeters(in canvas: Canvas) {
        let theme = canvas.theme
        // Line 2: containers.
        var col = 0
        canvas.put(row: 1, col: col, "containers:", style: theme.headerLabel)
        col += 12
        let labels = header.containers.map { c -> String in
            c.image < header.images.count ? " \(c.name) (\(header.images[c.image].label))  " : " \(c.name)  "
        }
        let longWidth = labels.reduce(col) { $0 + 1 + $1.count }
        let shortWidth = header.containers.reduce(col) { $0 + 3 + $1.name.count + 2 }
        // The settings take what the containers leave (the short labels first).
        let settings = knobs.flatMap { k in
            DashboardFormat.knobs(k, unicode: canvas.glyphs.isUnicode).first { shortWidth + $0.count + 1 <= canvas.width }
        }
        let room = canvas.width - (settings.map { $0.count + 1 } ?? 0)
        let long = longWidth <= room
        for (i, c) in header.containers.enumerated() {
            canvas.put(row: 1, col: col, "\(i + 1)", style: theme.container(i))
            let text = long ? labels[i] : " \(c.name)  "
            canvas.put(row: 1, col: col + 1, text, style: theme.text)
            col += 1 + text.count
        }
        if let settings {
            canvas.put(row: 1, col: canvas.width - settings.count, settings, style: theme.headerLabel)
        }

        // Line 3: meters.
        let parts = Layout.columns(Rect(row: 2, col: 0, height: 1, width: canvas.width), weights: [1, 1, 1])
        let used = header.cacheUsedBytes, saved = header.savedBytes
        let cacheFraction: Double
        var cacheText = DashboardFormat.bytes(used)
        if let capacity = header.cacheCapacityBytes, capacity > 0 {
            cacheFraction = Double(used) / Double(capacity)
            cacheText += "/" + DashboardFormat.bytes(capacity)
        } else {
            cacheFraction = used + saved > 0 ? Double(used) / Double(used + saved) : 0
        }
        let savedFraction = used + saved > 0 ? Double(saved) / Double(used + saved) : 0
        Meter(label: "Cache", fraction: cacheFraction, text: cacheText)
            .draw(in: canvas.sub(parts[0].inset(right: 1)))
        Meter(label: "Saved", fraction: savedFraction, text: DashboardFormat.bytes(saved) + " vs none",
              style: theme.savedFill)
            .draw(in: canvas.sub(parts[1].inset(right: 1)))
        Meter(label: "Hits", fraction: header.hitRate.isFinite ? header.hitRate : 0,
              text: DashboardFormat.percent(header.hitRate), style: theme.hitFill)
            .draw(in: canvas.sub(parts[2]))
    }
}
