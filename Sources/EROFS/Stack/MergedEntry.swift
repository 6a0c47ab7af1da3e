/// One layer's inode behind a name of a stack.
public struct LayerInode: Sendable {
    /// Index of the layer in the stack (0 = lowest).
    public var layer: Int
    public var inode: Inode
}

/// A name in the merged view of a layer stack: the inode that wins (the topmost layer's) and,
/// for a directory, every layer's directory merged into it (topmost first, down to an opaque one).
public struct MergedEntry: Sendable {
    /// Absolute path in the merged tree ("/" for the root).
    public var path: String
    /// Last path component ("/" for the root).
    public var name: String
    /// The layer the entry comes from (for directories: the topmost one holding it).
    public var layer: Int
    public var inode: Inode
    /// Directories only: the layers' directories merged here, topmost first.
    public var directories: [LayerInode]

    public var type: FileType { inode.type }
}
