extension LayerStack {
    /// Resolves an absolute path in the merged tree. Symlinks in intermediate components are
    /// followed inside the merged view; the last one only if `followFinalSymlink`.
    public func resolve(_ path: String, followFinalSymlink: Bool = false) throws -> MergedEntry {
        var hops = 0
        return try withLocation(path: path) {
            try resolve(components: Self.split(path), from: try root(), followFinal: followFinalSymlink, hops: &hops)
        }
    }

    /// The target of a symlink entry.
    public func symlinkTarget(_ entry: MergedEntry) throws -> String {
        try withLocation(path: entry.path) { try layers[entry.layer].symlinkTarget(entry.inode) }
    }

    /// Up to `count` bytes of a regular file at `offset`, from the layer it comes from.
    public func read(_ entry: MergedEntry, at offset: UInt64, count: Int) throws -> [UInt8] {
        try withLocation(path: entry.path) { try layers[entry.layer].read(entry.inode, at: offset, count: count) }
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private func resolve(components: [String], from start: MergedEntry, followFinal: Bool, hops: inout Int) throws -> MergedEntry {
        var current = start
        for (i, component) in components.enumerated() {
            let isLast = i == components.count - 1
            guard current.type == .directory else {
                throw EROFSError(.notADirectory, "'\(component)' is looked up in a non-directory", image: layers[current.layer].path, nid: current.inode.nid)
            }
            if component == "." { continue }
            if component == ".." {
                // Entries carry their real merged path (symlinks already followed), so the
                // parent is that path without its last name.
                let parent = Self.split(current.path).dropLast()
                current = try resolve(components: Array(parent), from: try root(), followFinal: false, hops: &hops)
                continue
            }
            guard let next = try child(named: component, of: current) else {
                throw EROFSError(.notFound, "no such file or directory: '\(component)'")
            }
            if next.type == .symlink && (!isLast || followFinal) {
                hops += 1
                guard hops <= Image.maxSymlinkHops else { throw EROFSError(.symlinkLoop, "too many levels of symbolic links") }
                let target = try symlinkTarget(next)
                let from = target.hasPrefix("/") ? Self.split(target) : Self.split(current.path) + Self.split(target)
                current = try resolve(components: from, from: try root(), followFinal: true, hops: &hops)
            } else {
                current = next
            }
        }
        return current
    }
}
