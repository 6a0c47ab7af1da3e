import EROFS

/// One name in an image's tree (hard links appear once per name, sharing the nid).
public struct CatalogEntry: Sendable {
    /// Absolute path inside the image ("/" for the root).
    public var path: String
    /// Last path component ("/" for the root).
    public var name: String
    public var nid: UInt64
    public var type: FileType
    /// Size in bytes (`i_size`).
    public var size: UInt64
    public var layout: DataLayout
    /// Index of the parent entry (the root is its own parent).
    public var parent: Int
    /// Indexes of the children (directories only), in directory order.
    public var children: [Int]
    /// Total size of the regular files below (and including) this entry, counting each nid once per name.
    public var subtreeSize: UInt64
    /// Total 4 KiB pages of those files (each rounded up), the denominator of "cached %".
    public var subtreePages: UInt64
}

/// The whole tree of one image, walked once: paths, nids, sizes and parent links, so sessions
/// and panels can browse and resolve names without touching the image again.
public final class ImageCatalog: @unchecked Sendable {
    /// Largest number of names a catalog accepts before failing with `.limitExceeded`.
    public static let maxEntries = 5_000_000

    public let image: Image
    /// Short name for tables (the image file's name by default).
    public let label: String
    /// Entry 0 is the root.
    public let entries: [CatalogEntry]
    /// The inode of each entry, as the walk decoded it (the sharing scan and the replay use these
    /// rather than reading the inodes again).
    private let inodes: [Inode]
    private let indexByPath: [String: Int]
    /// First entry index for each nid (hard links keep the first name).
    private let indexByNID: [UInt64: Int]

    /// Walks `image` completely.
    public init(image: Image, label: String? = nil) throws {
        self.image = image
        self.label = label ?? String(image.path.split(separator: "/").last ?? Substring(image.path))
        var entries: [CatalogEntry] = []
        var inodes: [Inode] = []
        var stack: [Int] = []
        var byPath: [String: Int] = [:]
        var byNID: [UInt64: Int] = [:]
        // Sized from the superblock's inode count (names are usually about as many; a wrong
        // count only costs growing as before), at most one per 32 bytes of the image and a
        // million (a corrupt count must not reserve gigabytes).
        let expected = Int(min(image.superblock.inodeCount, image.devices[0].size / 32, 1 << 20))
        entries.reserveCapacity(expected)
        inodes.reserveCapacity(expected)
        byPath.reserveCapacity(expected)
        byNID.reserveCapacity(expected)
        // A one-shot walk: inodes are read from cached 4 KiB pieces of the image (one pread per
        // piece, not per inode); the cache is off again before anything replays.
        let cachedBefore = image.cachesMetadata
        image.cachesMetadata = true
        defer { image.cachesMetadata = cachedBefore }
        try image.walk { event in
            switch event {
            case .entry(let path, let inode):
                guard entries.count < Self.maxEntries else {
                    throw EROFSError(.limitExceeded, "more than \(Self.maxEntries) names in the tree", image: image.path, path: path)
                }
                let index = entries.count
                let parent = stack.last ?? 0
                let name = path == "/" ? "/" : Self.lastComponent(of: path)
                entries.append(CatalogEntry(path: path, name: name, nid: inode.nid, type: inode.type, size: inode.size,
                                            layout: inode.layout, parent: parent, children: [],
                                            subtreeSize: inode.type == .regular ? inode.size : 0,
                                            subtreePages: inode.type == .regular ? (inode.size + 4095) / 4096 : 0))
                inodes.append(inode)
                if index != 0 {
                    entries[parent].children.append(index)
                    if inode.type == .regular {
                        entries[parent].subtreeSize &+= inode.size
                        entries[parent].subtreePages &+= (inode.size + 4095) / 4096
                    }
                }
                byPath[path] = index
                if byNID[inode.nid] == nil { byNID[inode.nid] = index }
                if inode.type == .directory { stack.append(index) }
            case .leaveDirectory:
                let done = stack.removeLast()
                if let parent = stack.last {
                    entries[parent].subtreeSize &+= entries[done].subtreeSize
                    entries[parent].subtreePages &+= entries[done].subtreePages
                }
            }
        }
        self.entries = entries
        self.inodes = inodes
        self.indexByPath = byPath
        self.indexByNID = byNID
    }

    /// The last name of a path ("c" for "/a/b/c"), without splitting the whole path.
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex else {
            return String(path.split(separator: "/").last ?? "")
        }
        return String(path[path.index(after: slash)...])
    }

    /// The entry for an absolute path inside the image (no symlink resolution).
    public func index(ofPath path: String) -> Int? {
        if let i = indexByPath[path] { return i }
        let normal = "/" + path.split(separator: "/").joined(separator: "/")
        return indexByPath[normal]
    }

    /// The first entry naming `nid`.
    public func index(ofNID nid: UInt64) -> Int? { indexByNID[nid] }

    /// The inode of entry `index`, as the walk read it.
    public func inode(at index: Int) -> Inode { inodes[index] }

    /// The inode `nid`: from the walk when the tree names it, else read from the image (the
    /// packed inode and the metabox are not in the tree).
    public func inode(_ nid: UInt64) throws -> Inode {
        if let index = indexByNID[nid] { return inodes[index] }
        return try image.inode(nid)
    }

    /// Indexes of all regular files, one per nid (first name wins), in tree order.
    public var regularFiles: [Int] {
        var seen = Set<UInt64>()
        return entries.indices.filter { entries[$0].type == .regular && seen.insert(entries[$0].nid).inserted }
    }

    /// Indexes of all directories in tree order.
    public var directories: [Int] { entries.indices.filter { entries[$0].type == .directory } }
}
