import EROFS

/// Everything `stat` shows about one inode: identity, attributes, xattrs and data mapping.
public struct FileDetails: Sendable {
    public var path: String
    public var inode: Inode
    public var symlinkTarget: String?
    public var xattrs: [ExtendedAttribute]
    public var fingerprint: String?
    public var extents: [MappedExtent]
    /// For compressed inodes: the map header (index format, lcluster size, algorithms, flags).
    public var compression: CompressionLayout?

    /// One extent with its device named.
    public struct MappedExtent: Sendable {
        public var extent: DataExtent
        /// Device id (0 = primary), nil for holes and inline data.
        public var device: Int?
        /// The device slot's tag ("" for the primary and empty tags).
        public var tag: String
        /// Block number on that device, for block-aligned device extents.
        public var block: UInt64?
    }

    /// Gathers the details of the inode at `path`.
    public init(image: Image, path: String) throws {
        let inode = try image.resolve(path)
        try self.init(image: image, inode: inode, path: path)
    }

    public init(image: Image, inode: Inode, path: String) throws {
        self.path = path
        self.inode = inode
        symlinkTarget = inode.type == .symlink ? try image.symlinkTarget(inode) : nil
        xattrs = try image.xattrs(of: inode)
        fingerprint = try image.fingerprint(of: inode).map(formatFingerprint)
        compression = try image.compressionLayout(of: inode)
        let hasData = inode.type == .regular || inode.type == .directory || inode.type == .symlink
        extents = hasData ? try image.extents(of: inode).map { extent in
            switch extent.location {
            case .device(let id, let offset):
                let tag = id == 0 ? "" : image.devices[id].slot?.tag ?? ""
                return MappedExtent(extent: extent, device: id, tag: tag, block: offset % UInt64(image.blockSize) == 0 ? offset / UInt64(image.blockSize) : nil)
            case .compressed(let c):
                let tag = c.device == 0 ? "" : image.devices[c.device].slot?.tag ?? ""
                return MappedExtent(extent: extent, device: c.device, tag: tag, block: nil)
            case .hole, .inline:
                return MappedExtent(extent: extent, device: nil, tag: "", block: nil)
            }
        } : []
    }
}
