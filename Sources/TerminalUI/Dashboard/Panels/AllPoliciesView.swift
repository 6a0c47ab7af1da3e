/// The all-policies view (`a`): the seed-style table of page cache each
/// container added under every policy, live, with stacked bars per policy.
///
///     Policy    base      app-v1    app-v2    Total     Saved vs none  Hits
///     none      150 MiB   150 MiB   150 MiB   450 MiB   -              61%
///     blob      150 MiB   7.0 MiB   7.0 MiB   164 MiB   286 MiB (64%)  78%
struct AllPoliciesView {
    var comparison: PolicyComparison
    var header: DashboardHeader
    var hitRates: HitRates

    func draw(in canvas: Canvas) {
        let inner = Box(title: "All policies: page cache added per container (a/Esc: back)", focused: true).draw(in: canvas)
        guard inner.height > 1 else { return }
        let theme = inner.theme
        let names = comparison.containers
        var columns = [TableColumn("Policy", width: .fixed(8))]
        for name in names { columns.append(TableColumn(name, width: .fixed(max(10, name.count)), alignment: .right)) }
        columns += [
            TableColumn("Total", width: .fixed(10), alignment: .right),
            TableColumn("Saved vs none", width: .fixed(17), alignment: .right),
            TableColumn("Hits", width: .fixed(5), alignment: .right),
            TableColumn("", width: .flexible(min: 0)),
        ]
        let rows = comparison.rows.map { row -> TableRow in
            var cells = [(row.policy == header.policy ? "> " : "  ") + row.policy]
            for i in names.indices {
                cells.append(i < row.addedBytes.count ? DashboardFormat.bytes(row.addedBytes[i]) : "-")
            }
            let none = comparison.rows.first { $0.policy == "none" }?.totalBytes ?? 0
            var saved = "-"
            if row.policy != "none" {
                saved = DashboardFormat.bytes(row.savedBytes)
                if none > 0 { saved += " (" + DashboardFormat.percent(Double(row.savedBytes) / Double(none)) + ")" }
            }
            cells += [DashboardFormat.bytes(row.totalBytes), saved, DashboardFormat.percent(row.hitRate)]
            return TableRow(cells, style: row.policy == header.policy ? theme.headerValue : nil)
        }
        let tableHeight = min(inner.height, rows.count + 1)
        TableView(columns: columns, rows: rows, state: TableState(selected: -1), focused: false,
                  emptyText: "no policies").draw(in: inner.sub(Rect(row: 0, col: 0, height: tableHeight, width: inner.width)))

        // Stacked bars: one segment per container, scaled to the largest total.
        var row = tableHeight + 1
        guard row + 1 < inner.height else { return }
        inner.put(row: row, col: 0, "Page cache per policy, stacked by container:", style: theme.headerLabel)
        var col = 46
        for (i, name) in names.enumerated() {
            inner.put(row: row, col: col, String(inner.glyphs.meterFill), style: theme.container(i))
            inner.put(row: row, col: col + 1, " " + name + "  ", style: theme.text)
            col += name.count + 4
        }
        row += 1
        let largest = max(1, comparison.rows.map(\.totalBytes).max() ?? 1)
        for policyRow in comparison.rows where row < inner.height {
            let segments = policyRow.addedBytes.enumerated().map { i, bytes in
                Meter.Segment(Double(bytes) / Double(largest), style: theme.container(i))
            }
            Meter(label: TextFit.fit(policyRow.policy, width: 8), segments: segments,
                  text: DashboardFormat.bytes(policyRow.totalBytes))
                .draw(in: inner.sub(Rect(row: row, col: 0, height: 1, width: inner.width)))
            row += 1
        }
        drawHitRates(in: inner.sub(Rect(row: row + 1, col: 0, height: inner.height - row - 1, width: inner.width)))
    }

    /// Hit rate over replay time: one line per policy, a sparkline per container.
    private func drawHitRates(in canvas: Canvas) {
        let theme = canvas.theme
        guard canvas.height >= 2, !hitRates.series.isEmpty else { return }
        canvas.put(row: 0, col: 0, "Hit rate over replay time, per container:", style: theme.headerLabel)
        let names = header.containers.map(\.name)
        let cellWidth = max(4, (canvas.width - 9) / max(1, names.count) - 1)
        for (line, policy) in header.policies.enumerated() where line + 1 < canvas.height {
            let style = policy == header.policy ? theme.headerValue : theme.text
            canvas.put(row: line + 1, col: 0, policy, width: 8, style: style)
            for c in names.indices {
                let col = 9 + c * (cellWidth + 1)
                let series = hitRates.series.first { $0.container == c && $0.policy == policy }
                let label = names[c] + " "
                canvas.put(row: line + 1, col: col, label, style: theme.container(c))
                guard let series else { continue }
                let percent = " " + DashboardFormat.percent(series.overall)
                let width = max(0, cellWidth - label.count - percent.count)
                Sparkline(series.samples, maximum: 1, style: policy == header.policy ? theme.sparkline : theme.inactivePolicy)
                    .draw(in: canvas.sub(Rect(row: line + 1, col: col + label.count, height: 1, width: width)))
                canvas.put(row: line + 1, col: col + label.count + width, percent, style: style)
            }
        }
    }
}
