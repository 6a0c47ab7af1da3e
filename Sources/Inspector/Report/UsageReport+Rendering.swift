import JSONOutput
import Foundation

extension UsageReport {
    private static func mb(_ bytes: UInt64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
    private static func mb(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
    private static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    /// The seed-style table: one row per container, one column per design, MB of page cache
    /// each container added (charged on first touch); then totals, savings against `none`, hit
    /// rates, and shared versus unique resident bytes.
    public var text: String {
        var rows: [[String]] = [["container"] + policies.map(\.design.rawValue)]
        for (i, c) in containers.enumerated() {
            rows.append(["\(c.name) (\(c.layers.map { imageLabels[$0] }.joined(separator: "+")))"] + policies.map { Self.mb($0.containers[i].chargedBytes) })
            if policies.contains(where: { $0.containers[i].lowBytes != $0.containers[i].highBytes }) {
                rows.append(["  low … high"] + policies.map { p in
                    let u = p.containers[i]
                    guard let lo = u.lowBytes, let hi = u.highBytes else { return "-" }
                    return "\(Self.mb(lo))…\(Self.mb(hi))"
                })
            }
        }
        rows.append(["total"] + policies.map { Self.mb($0.chargedBytes) })
        if baseline != nil {
            rows.append(["saved vs none"] + policies.map { p in
                p.design == .none ? "-" : "\(Self.mb(savedBytes(p))) (\(String(format: "%.0f", savedPercent(p) ?? 0))%)"
            })
        }
        rows.append(["hit rate"] + policies.map { Self.percent($0.hitRate) })
        rows.append(["shared / unique MB"] + policies.map { "\(Self.mb($0.sharedResidentBytes)) / \(Self.mb($0.residentBytes - min($0.residentBytes, $0.sharedResidentBytes)))" })
        if policies.contains(where: { $0.evictedBytes > 0 }) {
            rows.append(["evicted"] + policies.map { Self.mb($0.evictedBytes) })
        }
        var out = "Page cache added per container (MB; 4 KiB pages, readahead \(readaheadKB) KiB)\n"
        out += Self.table(rows)
        out += layerText
        if let base = baseline {
            out += "\nDirectory and metadata pages (never shared): " + zip(containers, base.containers).map { "\($0.name) \(Self.mb($1.directoryBytes)) MB" }.joined(separator: ", ") + "\n"
        }
        for p in policies {
            for (i, c) in p.containers.enumerated() {
                guard let files = c.files, !files.isEmpty else { continue }
                out += "\nFiles that added pages for \(containers[i].name) under \(p.design.rawValue) (top \(min(files.count, 20)) of \(files.count))\n"
                out += "  pages  path\n" + files.prefix(20).map { String(format: "%7llu  ", $0.addedPages) + $0.path }.joined(separator: "\n") + "\n"
            }
        }
        out += "\nWorkload: \(workload.steps) steps from \(workload.sources.joined(separator: ", ")) over \(String(format: "%.2f", workload.duration)) s of trace time"
        if workload.malformedLines > 0 { out += "; \(workload.malformedLines) malformed lines skipped" }
        if workload.outsideImage > 0 { out += "; \(workload.outsideImage) events on files outside the images ignored" }
        if workload.unknownContainer > 0 { out += "; \(workload.unknownContainer) events for unknown containers ignored" }
        if !unhandledCalls.isEmpty {
            let top = unhandledCalls.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            out += "\nSystem calls not modelled (lines): " + top.prefix(12).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            if top.count > 12 { out += ", and \(top.count - 12) more" }
        }
        if unobservedMappedBytes > 0 {
            out += "\nNote: \(Self.mb(unobservedMappedBytes)) MB of mapped file ranges had no fault events; their faults are estimated (ELF loader pages; other files per --mmap-touch), between the low and high bounds shown."
        }
        return out + "\n"
    }

    /// The same data as JSON (schema in the README).
    public var json: JSONValue {
        .object([
            ("page_size", .int(Int64(pageSize))),
            ("readahead_kb", .int(Int64(readaheadKB))),
            ("containers", .array(containers.map { c in
                var fields: [(String, JSONValue)] = [("name", .string(c.name)), ("image", .string(imageLabels[c.image]))]
                if c.isStack { fields.append(("layers", .array(c.layers.map { .string(imageLabels[$0]) }))) }
                return .object(fields)
            })),
            ("layers", layerJSON),
            ("policies", .array(policies.map { p in
                .object([
                    ("policy", .string(p.design.rawValue)),
                    ("total_bytes", .uint(p.chargedBytes)),
                    ("saved_bytes", .int(savedBytes(p))),
                    ("saved_percent", savedPercent(p).map { .double(($0 * 10).rounded() / 10) } ?? .null),
                    ("resident_bytes", .uint(p.residentBytes)),
                    ("shared_bytes", .uint(p.sharedResidentBytes)),
                    ("unique_bytes", .uint(p.residentBytes - min(p.residentBytes, p.sharedResidentBytes))),
                    ("evicted_bytes", .uint(p.evictedBytes)),
                    ("hits", .uint(p.hits)), ("misses", .uint(p.misses)),
                    ("blobs", .array(p.blobCachedBytes.sorted { $0.key < $1.key }.map {
                        .object([("blob", .string($0.key)), ("cached_bytes", .uint($0.value))])
                    })),
                    ("containers", .array(zip(containers, p.containers).map { container, c in
                        var fields: [(String, JSONValue)] = [
                            ("name", .string(c.container)), ("image", .string(imageLabels[container.image])),
                            ("added_bytes", .uint(c.chargedBytes)), ("directory_bytes", .uint(c.directoryBytes)),
                            ("hits", .uint(c.hits)), ("misses", .uint(c.misses)),
                        ]
                        if let lo = c.lowBytes, let hi = c.highBytes {
                            fields.append(("added_bytes_low", .uint(lo)))
                            fields.append(("added_bytes_high", .uint(hi)))
                        }
                        if let files = c.files {
                            fields.append(("files", .array(files.map {
                                .object([("image", .string($0.image)), ("layer", .string($0.layer)), ("path", .string($0.path)),
                                         ("nid", .uint($0.nid)), ("added_pages", .uint($0.addedPages))])
                            })))
                        }
                        return .object(fields)
                    })),
                ])
            })),
            ("workload", .object([
                ("steps", .int(Int64(workload.steps))), ("trace_events", .int(Int64(workload.traceEvents))),
                ("malformed_lines", .int(Int64(workload.malformedLines))),
                ("outside_image", .int(Int64(workload.outsideImage))), ("unknown_container", .int(Int64(workload.unknownContainer))),
                ("duration_seconds", .double(workload.duration)), ("sources", .array(workload.sources.map { .string($0) })),
                ("unobserved_mapped_bytes", .uint(unobservedMappedBytes)),
                ("unhandled_calls", .object(unhandledCalls.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
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

extension UsageReport {
    /// A compact top-like frame for `replay --batch`: the clock, then per design the MB each
    /// container has added so far, the total and the hit rate.
    public func frame(clock: Double, step: Int, of total: Int) -> String {
        let pct = total == 0 ? 100 : step * 100 / total
        var out = String(format: "erofs-top replay  t=%.3f s  step %d/%d (%d%%)\n", clock, step, total, pct)
        var rows = [["policy"] + containers.map(\.name) + ["total MB", "saved", "hit rate"]]
        for p in policies {
            rows.append([p.design.rawValue] + p.containers.map { String(format: "%.1f", Double($0.chargedBytes) / 1_048_576) } +
                        [String(format: "%.1f", Double(p.chargedBytes) / 1_048_576),
                         p.design == .none ? "-" : String(format: "%.0f%%", savedPercent(p) ?? 0),
                         p.hitRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-"])
        }
        return out + Self.table(rows)
    }
}
