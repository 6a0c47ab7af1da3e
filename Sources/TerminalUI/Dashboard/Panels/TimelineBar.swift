/// The line under the header: the trace's time axis with a mark for every
/// container start (its number, in its colour) and trace source (`¦`), the
/// position reached (`●`), then the clock and events done/total.
///
///     0s [━━━━━━━━●─────2──────¦─────3──────────] 45.6s  12.3s 1234/5000 ev 24%
///
/// The axis is by time when the trace has a duration, else by event. A click on
/// the axis seeks there (`target(atCol:)`).
struct TimelineBar {
    var timeline: TimelineInfo
    var containers: [String]

    /// Columns of the axis inside a bar of `width` (between the brackets).
    static func axis(width: Int, timeline: TimelineInfo) -> Range<Int> {
        let left = DashboardFormat.seconds(0).count + 2
        let right = TimelineBar.trailer(timeline).count + 2
        let length = max(0, width - left - right)
        return left..<(left + length)
    }

    /// What the bar says after the axis.
    /// Padded to the widest it gets, so the axis keeps its length while the
    /// replay moves (a click lands where it was aimed).
    static func trailer(_ t: TimelineInfo) -> String {
        func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        let end = DashboardFormat.seconds(t.duration)
        let clock = pad(DashboardFormat.seconds(t.clock), max(end.count, DashboardFormat.seconds(0).count))
        let total = String(t.eventsTotal)
        return "\(end)  \(clock) \(pad(String(t.eventsDone), total.count))/\(total) ev "
            + pad(DashboardFormat.percent(t.progress), 4)
    }

    /// Where a column of the axis lies on the trace (0...1).
    static func fraction(atCol col: Int, axis: Range<Int>) -> Double? {
        guard axis.contains(col) else { return nil }
        return axis.count > 1 ? Double(col - axis.lowerBound) / Double(axis.count - 1) : 0
    }

    /// The seek a click at `col` asks for (nil outside the axis).
    static func target(atCol col: Int, width: Int, timeline: TimelineInfo) -> SeekTarget? {
        let axis = axis(width: width, timeline: timeline)
        guard let f = fraction(atCol: col, axis: axis) else { return nil }
        if timeline.duration > 0 { return .time(f * timeline.duration) }
        return .event(Int((f * Double(timeline.eventsTotal)).rounded()))
    }

    /// The axis column of a point of the trace.
    static func column(time: Double, event: Int, timeline: TimelineInfo, axis: Range<Int>) -> Int {
        guard axis.count > 0 else { return axis.lowerBound }
        let f: Double
        if timeline.duration > 0 {
            f = time / timeline.duration
        } else {
            f = timeline.eventsTotal > 0 ? Double(event) / Double(timeline.eventsTotal) : 0
        }
        let clamped = f.isFinite ? min(1, max(0, f)) : 0
        return axis.lowerBound + Int((clamped * Double(axis.count - 1)).rounded())
    }

    func draw(in canvas: Canvas) {
        guard canvas.height > 0, canvas.width > 0 else { return }
        let theme = canvas.theme, g = canvas.glyphs
        canvas.fill(Rect(row: 0, col: 0, height: 1, width: canvas.width))
        let axis = TimelineBar.axis(width: canvas.width, timeline: timeline)
        canvas.put(row: 0, col: 0, DashboardFormat.seconds(0), style: theme.meterText)
        guard axis.count > 0 else { return }
        canvas.put(row: 0, col: axis.lowerBound - 1, "[", style: theme.meterBracket)
        canvas.put(row: 0, col: axis.upperBound, "]", style: theme.meterBracket)
        let position = TimelineBar.column(time: timeline.clock, event: timeline.eventsDone, timeline: timeline, axis: axis)
        let done: Character = g.isUnicode ? "━" : "="
        for col in axis {
            canvas.put(row: 0, col: col, String(col < position ? done : g.horizontal),
                       style: col < position ? theme.meterFill : theme.emptyPage)
        }
        // Container starts last: a container's number wins over its trace file's mark at the same point.
        for marker in timeline.markers.filter({ $0.kind != .containerStart }) + timeline.markers.filter({ $0.kind == .containerStart }) {
            let col = TimelineBar.column(time: marker.time, event: marker.event, timeline: timeline, axis: axis)
            let (symbol, style) = self.symbol(for: marker, theme: theme, glyphs: g)
            canvas.put(row: 0, col: col, String(symbol), style: style)
        }
        canvas.put(row: 0, col: position, g.isUnicode ? "●" : "@", style: theme.headerValue)
        canvas.put(row: 0, col: axis.upperBound + 2, TimelineBar.trailer(timeline), style: theme.text)
    }

    /// A container start shows the container's number in its colour; a trace
    /// source `¦` (`:` in ASCII); a note `*`.
    private func symbol(for marker: TimelineInfo.Marker, theme: Theme, glyphs: GlyphSet) -> (Character, Style) {
        switch marker.kind {
        case .containerStart:
            guard let i = containers.firstIndex(of: marker.label) else { return ("+", theme.headerLabel) }
            return (Character(i < 9 ? String(i + 1) : "+"), theme.container(i))
        case .traceSource:
            return (glyphs.isUnicode ? "¦" : ":", theme.headerLabel)
        case .note:
            return ("*", theme.message)
        }
    }
}
