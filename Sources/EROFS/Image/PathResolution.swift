extension Image {
    /// Longest symlink target accepted (PATH_MAX − 1).
    public static let maxSymlinkLength: UInt64 = 4095
    /// Symlinks followed in one path resolution before giving up (as Linux's ELOOP).
    public static let maxSymlinkHops = 40

    /// The target of a symlink.
    public func symlinkTarget(_ inode: Inode) throws -> String {
        guard inode.type == .symlink else {
            throw EROFSError(.notASymlink, "not a symlink", image: path, nid: inode.nid)
        }
        guard inode.size <= Self.maxSymlinkLength else {
            throw EROFSError(.symlinkTooLong, "symlink target is \(inode.size) bytes, more than \(Self.maxSymlinkLength)", image: path, nid: inode.nid)
        }
        return String(decoding: try read(inode, at: 0, count: Int(inode.size)), as: UTF8.self)
    }

    /// Resolves an absolute path inside the image (relative paths start at the root).
    /// Symlinks in intermediate components are followed within the image; the last one only
    /// if `followFinalSymlink`.
    public func resolve(_ path: String, followFinalSymlink: Bool = false) throws -> Inode {
        var hops = 0
        return try withLocation(image: self.path, path: path) {
            try resolve(components: split(path), from: try rootInode(), followFinal: followFinalSymlink, hops: &hops)
        }
    }

    private func split(_ path: String) -> [[UInt8]] {
        path.utf8.split(separator: 0x2F, omittingEmptySubsequences: true).map(Array.init)
    }

    private func resolve(components: [[UInt8]], from start: Inode, followFinal: Bool, hops: inout Int) throws -> Inode {
        var current = start
        for (i, component) in components.enumerated() {
            let isLast = i == components.count - 1
            guard current.type == .directory else {
                throw EROFSError(.notADirectory, "'\(String(decoding: component, as: UTF8.self))' is looked up in a non-directory", nid: current.nid)
            }
            if component == [0x2E] { continue }
            guard let entry = try lookup(component, in: current) else {
                throw EROFSError(.notFound, "no such file or directory: '\(String(decoding: component, as: UTF8.self))'")
            }
            let next = try inode(entry.nid)
            if next.type == .symlink && (!isLast || followFinal) {
                hops += 1
                guard hops <= Self.maxSymlinkHops else {
                    throw EROFSError(.symlinkLoop, "too many levels of symbolic links")
                }
                let target = try symlinkTarget(next)
                let base = target.hasPrefix("/") ? try rootInode() : current
                current = try resolve(components: split(target), from: base, followFinal: true, hops: &hops)
            } else {
                current = next
            }
        }
        return current
    }
}
