/// One step of a depth-first walk over a stack's merged tree.
public enum MergedWalkEvent {
    /// A non-directory, or a directory about to be entered.
    case entry(MergedEntry)
    /// All children of this directory have been visited.
    case leaveDirectory(MergedEntry)
}

extension LayerStack {
    /// Walks the merged tree below `start` depth-first in name order, once per name.
    public func walk(from start: String = "/", _ visit: (MergedWalkEvent) throws -> Void) throws {
        let top = try resolve(start, followFinalSymlink: true)
        try visit(.entry(top))
        guard top.type == .directory else { return }
        var seen: Set<[UInt64]> = [Self.identity(top)]
        try walkDirectory(top, depth: 1, seen: &seen, visit)
        try visit(.leaveDirectory(top))
    }

    /// A merged directory's identity: its parts' (layer, nid) pairs.
    private static func identity(_ entry: MergedEntry) -> [UInt64] {
        entry.directories.flatMap { [UInt64($0.layer), $0.inode.nid] }
    }

    private func walkDirectory(_ directory: MergedEntry, depth: Int, seen: inout Set<[UInt64]>, _ visit: (MergedWalkEvent) throws -> Void) throws {
        guard depth <= Image.maxWalkDepth else {
            throw EROFSError(.limitExceeded, "directory tree deeper than \(Image.maxWalkDepth) levels", image: layers[directory.layer].path, path: directory.path)
        }
        for child in try children(of: directory) {
            try visit(.entry(child))
            guard child.type == .directory else { continue }
            guard seen.insert(Self.identity(child)).inserted else {
                throw EROFSError(.directoryCycle, "directory is reached a second time (a cycle or a hard-linked directory)", image: layers[child.layer].path, nid: child.inode.nid, path: child.path)
            }
            try walkDirectory(child, depth: depth + 1, seen: &seen, visit)
            try visit(.leaveDirectory(child))
        }
    }
}
