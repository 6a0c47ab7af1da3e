/// The Hit rates panel: one line per container and policy, the active policy
/// first, each with a sparkline over replay time and a bar of the hit rate so
/// far.
///
///     base     blob  ▁▂▃▅▆▇███▇▇  [||||||||   82%]
struct HitRatesPanel {
    var table = TableState()
    private(set) var lines: [HitRates.Series] = []
    private var fetched: (generation: UInt64, policy: String)?

    mutating func refresh(source: any DashboardDataSource, header: DashboardHeader, generation: UInt64, visibleRows: Int) {
        if let f = fetched, f.generation == generation, f.policy == header.policy { return }
        fetched = (generation, header.policy)
        let series = source.hitRates.series
        let rank = Dictionary(header.policies.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        lines = series.enumerated().sorted { x, y in
            let a = x.element, b = y.element
            // Series of no design (the live view's measured "kernel" rates) come first.
            let pa = a.policy == header.policy ? -1 : rank[a.policy] ?? -2
            let pb = b.policy == header.policy ? -1 : rank[b.policy] ?? -2
            if pa != pb { return pa < pb }
            if a.container != b.container { return a.container < b.container }
            return x.offset < y.offset
        }.map(\.element)
        table.select(table.selected, rowCount: lines.count, visibleRows: visibleRows)
    }

    mutating func handle(key: Key, visibleRows: Int) -> Bool {
        table.handle(key: key, rowCount: lines.count, visibleRows: visibleRows)
    }

    func draw(in canvas: Canvas, header: DashboardHeader, focused: Bool) {
        let inner = Box(title: "Hit rates (\(header.policy) first)", focused: focused).draw(in: canvas)
        guard inner.height > 1 else { return }
        let theme = inner.theme
        let nameWidth = min(12, max(9, header.containers.map(\.name.count).max() ?? 0))
        let policyWidth = min(8, max(6, header.policies.map(\.count).max() ?? 0))
        let meterWidth = inner.width >= 50 ? 16 : 6
        let sparkCol = nameWidth + policyWidth + 2
        let sparkWidth = max(0, inner.width - sparkCol - meterWidth - 1)

        inner.fill(Rect(row: 0, col: 0, height: 1, width: inner.width), style: theme.tableHeader)
        inner.put(row: 0, col: 0, "Container", width: nameWidth, style: theme.tableHeader)
        inner.put(row: 0, col: nameWidth + 1, "Policy", width: policyWidth, style: theme.tableHeader)
        inner.put(row: 0, col: sparkCol, "History", width: sparkWidth, style: theme.tableHeader)
        inner.put(row: 0, col: inner.width - meterWidth, "Hits", width: meterWidth, alignment: .right, style: theme.tableHeader)
        guard !lines.isEmpty else {
            inner.put(row: 1, col: 1, "no accesses yet", style: theme.meterText)
            return
        }
        let window = TableWindow(state: table, rowCount: lines.count, height: inner.height)
        for (line, i) in window.range.enumerated() {
            let s = lines[i]
            let row = line + 1
            let active = s.policy == header.policy
            let selected = focused && i == table.selected
            let base = selected ? theme.selection : (active ? theme.text : theme.inactivePolicy)
            if selected { inner.fill(Rect(row: row, col: 0, height: 1, width: inner.width), style: base) }
            let name = s.container < header.containers.count ? header.containers[s.container].name : "?"
            inner.put(row: row, col: 0, name, width: nameWidth,
                      style: selected ? base : theme.container(s.container))
            inner.put(row: row, col: nameWidth + 1, s.policy, width: policyWidth, style: base)
            let spark = inner.sub(Rect(row: row, col: sparkCol, height: 1, width: sparkWidth))
            Sparkline(s.samples, maximum: 1, style: selected ? base : (active ? theme.sparkline : theme.inactivePolicy))
                .draw(in: spark)
            let meterCanvas = inner.sub(Rect(row: row, col: inner.width - meterWidth, height: 1, width: meterWidth))
            if meterWidth >= 10 {
                Meter(label: "", fraction: s.overall.isFinite ? s.overall : 0,
                      text: DashboardFormat.percent(s.overall), style: active ? theme.hitFill : theme.inactivePolicy)
                    .draw(in: meterCanvas)
            } else {
                meterCanvas.put(row: 0, col: 0, DashboardFormat.percent(s.overall), width: meterWidth,
                                alignment: .right, style: base)
            }
        }
    }
}
