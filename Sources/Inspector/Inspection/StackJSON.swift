import JSONOutput
import EROFS

/// The layer fields `ls --json` and `stat --json` add for entries of a layer stack.
public enum StackJSON {
    /// `value` (a JSON object) with `layer` (the layer's label) and `layer_index` (0 = lowest) added.
    public static func adding(layerOf entry: MergedEntry, in stack: LayerStack, to value: JSONValue) -> JSONValue {
        guard case .object(var fields) = value else { return value }
        fields.append(("layer", .string(stack.labels[entry.layer])))
        fields.append(("layer_index", .int(Int64(entry.layer))))
        if entry.type == .directory {
            fields.append(("merged_layers", .array(entry.directories.map { .string(stack.labels[$0.layer]) })))
        }
        return .object(fields)
    }

    /// The `stat` text lines for a stack entry.
    public static func layerText(_ entry: MergedEntry, in stack: LayerStack) -> String {
        var out = " Layer: \(stack.labels[entry.layer]) (\(entry.layer + 1) of \(stack.layers.count), lowest first)\n"
        if entry.type == .directory && entry.directories.count > 1 {
            out += "Merged: \(entry.directories.map { stack.labels[$0.layer] }.joined(separator: " over "))\n"
        }
        return out
    }

    /// Notes about overlayfs features the stack uses but erofs-top does not model.
    public static func unmodelledNotes(_ stack: LayerStack) -> [String] {
        stack.unmodelledFeatures.map { "overlayfs \($0.feature.rawValue) is used (first at \($0.path)) but not modelled: results for such paths are not the kernel's" }
    }
}
