import Foundation

extension ImageSpec {
    /// Parses an image argument that may be a layer stack, `LOWER+...+UPPER` (lowest first, as
    /// in an OCI manifest), each part `PATH[,device=BLOB]...`. A single image is a stack of one.
    /// An argument whose image path (before the first `,`) contains `+` and names an existing
    /// file is one image.
    public static func parseStack(_ text: String, blobDirectory: String? = nil) throws -> [ImageSpec] {
        let wholePath = String(text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        if !text.contains("+") || (wholePath.contains("+") && FileManager.default.fileExists(atPath: wholePath)) {
            return [try ImageSpec(parsing: text, blobDirectory: blobDirectory)]
        }
        let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw EROFSError(.invalidArgument, "empty layer in stack '\(text)' (expected LOWER+...+UPPER)")
        }
        return try parts.map { try ImageSpec(parsing: $0, blobDirectory: blobDirectory) }
    }
}
