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
    /// (`walkEntries` is the same walk with paths as bytes.)
    public func walk(from start: String = "/", _ visit: (WalkEvent) throws -> Void) throws {
        try walkEntries(from: start, reportsLeaving: true) { entry in
            let path = entry.pathString
            try visit(entry.isLeavingDirectory ? .leaveDirectory(path: path, inode: entry.inode) : .entry(path: path, inode: entry.inode))
        }
    }
}
