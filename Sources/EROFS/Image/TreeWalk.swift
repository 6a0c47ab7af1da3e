/// One step of a depth-first walk over an image's tree.
public enum WalkEvent {
    /// A non-directory, or a directory about to be entered.
    case entry(path: String, inode: Inode)
    /// All children of the directory at `path` have been visited.
    case leaveDirectory(path: String, inode: Inode)
}

extension Image {
    /// Deepest directory nesting accepted in a walk.
    public static let maxWalkDepth = 4096

    /// Walks the tree below `start` depth-first in directory order, calling `visit` for every
    /// inode once per name (hard links appear under each of their names). Directory cycles and
    /// directories reachable under two names are reported as `.directoryCycle`.
    public func walk(from start: String = "/", _ visit: (WalkEvent) throws -> Void) throws {
        let root = try resolve(start, followFinalSymlink: true)
        var seenDirectories: Set<UInt64> = [root.nid]
        let base = start == "/" || start.isEmpty ? "" : "/" + start.split(separator: "/").joined(separator: "/")
        try visit(.entry(path: base.isEmpty ? "/" : base, inode: root))
        guard root.type == .directory else { return }
        try walkDirectory(root, path: base, depth: 1, seen: &seenDirectories, visit)
        try visit(.leaveDirectory(path: base.isEmpty ? "/" : base, inode: root))
    }

    private func walkDirectory(_ dir: Inode, path: String, depth: Int, seen: inout Set<UInt64>, _ visit: (WalkEvent) throws -> Void) throws {
        guard depth <= Self.maxWalkDepth else {
            throw EROFSError(.limitExceeded, "directory tree deeper than \(Self.maxWalkDepth) levels", image: self.path, nid: dir.nid, path: path)
        }
        let entries = try withLocation(path: path.isEmpty ? "/" : path) { try readDirectory(dir) }
        for entry in entries where !entry.isDotOrDotDot {
            let childPath = path + "/" + entry.name
            let child = try withLocation(path: childPath) { try inode(entry.nid) }
            if child.type == .directory {
                guard seen.insert(child.nid).inserted else {
                    throw EROFSError(.directoryCycle, "directory nid \(child.nid) is reached a second time (a cycle or a hard-linked directory)", image: self.path, nid: child.nid, path: childPath)
                }
                try visit(.entry(path: childPath, inode: child))
                try walkDirectory(child, path: childPath, depth: depth + 1, seen: &seen, visit)
                try visit(.leaveDirectory(path: childPath, inode: child))
            } else {
                try visit(.entry(path: childPath, inode: child))
            }
        }
    }
}
