import EROFS

/// Maps the paths a traced process used (host paths under a mount point, or container paths)
/// to names inside one image.
///
/// With a `root` prefix, only paths below it map (the prefix is stripped). Without one, a path
/// that exists in the image as written maps as is; otherwise the mapper strips leading
/// components until the rest names a file in the image, and remembers the stripped prefix so
/// later paths under it map directly (and paths outside it are not guessed at again).
public struct PathMapping: Sendable {
    public let root: String?
    private var learnedPrefix: String?
    /// The mount point learned so far (nil until one is): when it changes, paths may map anew.
    var learned: String? { learnedPrefix }

    public init(root: String? = nil) {
        self.root = root.map { Self.normalize($0) }
    }

    static func normalize(_ path: String) -> String {
        if isNormal(path) { return path }
        return "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Already in normal form: "/" or slash-separated non-empty names after a leading "/" (most
    /// trace paths; checking is much cheaper than rebuilding them).
    static func isNormal(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return false }
            if previous == 0 && byte != UInt8(ascii: "/") { return false }
            previous = byte
        }
        return previous == UInt8(ascii: "/") ? path.utf8.count == 1 : previous != 0
    }

    /// The image path for `path`, or nil when it is outside the image.
    public mutating func map(_ path: String, in catalog: ImageCatalog) -> String? {
        let normal = Self.normalize(path)
        if let root {
            if root == "/" { return normal }
            guard normal == root || normal.hasPrefix(root + "/") else { return nil }
            return normal == root ? "/" : String(normal.dropFirst(root.count))
        }
        if let prefix = learnedPrefix, normal == prefix || normal.hasPrefix(prefix + "/") {
            return normal == prefix ? "/" : String(normal.dropFirst(prefix.count))
        }
        if learnedPrefix == nil, catalog.index(ofPath: normal) != nil { return normal }
        guard learnedPrefix == nil else { return nil }
        let parts = normal.split(separator: "/")
        // Require at least two remaining components so a lone common name ("/etc") is not
        // taken as proof of a mount point.
        guard parts.count >= 3 else { return nil }
        for k in 1...(parts.count - 2) {
            let rest = "/" + parts[k...].joined(separator: "/")
            if let i = catalog.index(ofPath: rest), catalog.entries[i].type == .regular {
                learnedPrefix = "/" + parts[..<k].joined(separator: "/")
                return rest
            }
        }
        return nil
    }
}
