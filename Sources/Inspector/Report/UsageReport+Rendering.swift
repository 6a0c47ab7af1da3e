import Foundation

extension UsageReport {
    private static func mb(_ bytes: UInt64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
    private static func mb(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
    private static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    /// The seed-style table: page cache (MB) each container added under each design, the total,
    /// and what each design saves against `none`; then hit rates and directory shares.
    public var text: String {
        var rows: [[String]] = []
        var header = ["policy"] + containers.map(\.name) + ["total", "saved vs none"]
        rows.append(header)
        for p in policies {
            let saved = savedBytes(p)
            let base = baseline?.chargedBytes ?? 0
            let savedText = p.design == .none || baseline == nil ? "-" :
                "\(Self.mb(saved)) (\(base == 0 ? "0" : String(format: "%.0f", Double(saved) * 100 / Double(base)))%)"
            rows.append([p.design.rawValue] + p.containers.map { Self.mb($0.chargedBytes) } + [Self.mb(p.chargedBytes), savedText])
        }
        var out = "Page cache added per container (MB, charged on first touch)\n"
        out += Self.table(rows)
        out += "\nHit rate per container\n"
        header = ["policy"] + containers.map(\.name) + ["overall"]
        rows = [header] + policies.map { p in [p.design.rawValue] + p.containers.map { Self.percent($0.hitRate) } + [Self.percent(p.hitRate)] }
        out += Self.table(rows)
        if let base = baseline {
            let dirs = base.containers.map { Self.mb($0.directoryBytes) }
            out += "\nDirectory pages (never shared): " + zip(containers, dirs).map { "\($0.name) \($1) MB" }.joined(separator: ", ") + "\n"
        }
        out += "\nContainers: " + containers.map { "\($0.name) = \(imageLabels[$0.image])" }.joined(separator: ", ") + "\n"
        out += "Workload: \(workload.steps) steps from \(workload.sources.joined(separator: ", ")) over \(String(format: "%.2f", workload.duration)) s"
        if workload.malformedLines > 0 { out += "; \(workload.malformedLines) malformed lines skipped" }
        if workload.outsideImage > 0 { out += "; \(workload.outsideImage) events on files outside the images ignored" }
        if workload.unknownContainer > 0 { out += "; \(workload.unknownContainer) events for unknown containers ignored" }
        return out + "\n"
    }

    /// The same data as JSON (field names documented in the README).
    public var json: JSONValue {
        .object([
            ("containers", .array(containers.map { .object([("name", .string($0.name)), ("image", .string(imageLabels[$0.image]))]) })),
            ("policies", .array(policies.map { p in
                .object([
                    ("policy", .string(p.design.rawValue)),
                    ("charged_bytes", .uint(p.chargedBytes)),
                    ("saved_bytes_vs_none", .int(savedBytes(p))),
                    ("resident_bytes", .uint(p.residentBytes)),
                    ("evicted_bytes", .uint(p.evictedBytes)),
                    ("hits", .uint(p.hits)), ("misses", .uint(p.misses)),
                    ("containers", .array(p.containers.map { c in
                        .object([("name", .string(c.container)), ("charged_bytes", .uint(c.chargedBytes)),
                                 ("directory_bytes", .uint(c.directoryBytes)), ("hits", .uint(c.hits)), ("misses", .uint(c.misses))])
                    })),
                ])
            })),
            ("workload", .object([
                ("steps", .int(Int64(workload.steps))), ("malformed_lines", .int(Int64(workload.malformedLines))),
                ("outside_image", .int(Int64(workload.outsideImage))), ("unknown_container", .int(Int64(workload.unknownContainer))),
                ("duration_seconds", .double(workload.duration)), ("sources", .array(workload.sources.map { .string($0) })),
            ])),
        ])
    }

    static func table(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[i] - c.count) + c }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
