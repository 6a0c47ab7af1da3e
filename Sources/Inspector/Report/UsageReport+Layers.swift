import JSONOutput
import Foundation

extension UsageReport {
    /// Whether the report has per-layer rows (some container is a layer stack).
    public var hasLayerRows: Bool { containers.contains(where: \.isStack) && policies.allSatisfy { $0.imageAddedBytes.count == imageLabels.count } }

    /// Names of the containers whose stack (or image) includes image `index`.
    public func containersUsing(_ index: Int) -> [String] {
        containers.filter { $0.layers.contains(index) }.map(\.name)
    }

    /// "Page cache added per layer": one row per layer image, one column per design, and the
    /// containers using it (each layer is one mount: one page cache for all of them).
    var layerText: String {
        guard hasLayerRows else { return "" }
        var rows: [[String]] = [["layer"] + policies.map(\.design.rawValue) + ["used by"]]
        for (i, label) in imageLabels.enumerated() {
            rows.append([label] + policies.map { String(format: "%.1f", Double($0.imageAddedBytes[i]) / 1_048_576) } + [containersUsing(i).joined(separator: ",")])
        }
        // The last column is text: left-align it by padding instead of the table's right alignment.
        return "\nPage cache added per layer (MB; pages added through each layer's files, all containers)\n" + Self.table(rows)
    }

    /// `layers` in `report --json`: null without stacks; else per layer image its containers and
    /// the bytes added through its files under each design.
    var layerJSON: JSONValue {
        guard hasLayerRows else { return .null }
        return .array(imageLabels.enumerated().map { i, label in
            .object([
                ("image", .string(label)),
                ("containers", .array(containersUsing(i).map { .string($0) })),
                ("added_bytes", .object(policies.map { ($0.design.rawValue, .uint($0.imageAddedBytes[i])) })),
                ("data_bytes", .object(policies.map { ($0.design.rawValue, .uint($0.imageDataBytes.count > i ? $0.imageDataBytes[i] : 0)) })),
            ])
        })
    }
}
