/// A file registered with a ``FileRegistry``: a dense index, stable for the session.
public struct FileID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The dense index of the file inside its registry.
    public let rawValue: UInt32

    /// Wraps a raw registry index.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static func < (lhs: FileID, rhs: FileID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "file#\(rawValue)" }
}

/// What a file's pages count as in the statistics (the kernel counts them apart too).
public enum PageCategory: Int, Hashable, Sendable, CaseIterable {
    /// Regular file data.
    case data = 0
    /// Directory blocks.
    case directory = 1
    /// Metadata (superblock, inodes, xattrs, indexes) read through a metadata mapping.
    case metadata = 2
}

/// The kind of a registered file.
public enum FileKind: Hashable, Sendable {
    /// A regular file: its pages are data.
    case regular
    /// A directory: its pages are directory pages.
    case directory
    /// A metadata mapping (a block device, backing file, metabox or packed inode).
    case metadata

    /// The statistics category of the file's pages.
    public var category: PageCategory {
        switch self {
        case .regular: return .data
        case .directory: return .directory
        case .metadata: return .metadata
        }
    }
}

/// The caller's description of a file.
public struct FileDescriptor: Hashable, Sendable {
    /// The file size in bytes (i_size); reads and readahead stop at it.
    public var size: UInt64
    /// The kind of file.
    public var kind: FileKind
    /// The image (caller's index) the file belongs to, if any.
    public var image: Int?
    /// The file's inode number (nid), if any.
    public var nid: UInt64?

    /// Creates a descriptor.
    public init(size: UInt64, kind: FileKind = .regular, image: Int? = nil, nid: UInt64? = nil) {
        self.size = size
        self.kind = kind
        self.image = image
        self.nid = nid
    }
}

/// The files of a session. Register each file once; every simulator of the session shares
/// the registry, so a ``FileID`` means the same file under every policy.
public final class FileRegistry {
    /// All registered files, indexed by `FileID.rawValue`.
    public private(set) var files: [FileDescriptor] = []

    /// Creates an empty registry.
    public init() {}

    /// The number of registered files.
    public var count: Int { files.count }

    /// Registers a file and returns its ID.
    public func register(_ file: FileDescriptor) -> FileID {
        files.append(file)
        return FileID(UInt32(files.count - 1))
    }

    /// Registers a file of `size` bytes and returns its ID.
    public func register(size: UInt64, kind: FileKind = .regular, image: Int? = nil, nid: UInt64? = nil) -> FileID {
        register(FileDescriptor(size: size, kind: kind, image: image, nid: nid))
    }

    /// The descriptor of `id`.
    public subscript(id: FileID) -> FileDescriptor { files[Int(id.rawValue)] }

    /// The number of pages of `id` for pages of `pageSize` bytes (rounded up).
    public func pageCount(of id: FileID, pageSize: Int) -> UInt64 {
        let size = files[Int(id.rawValue)].size
        return (size + UInt64(pageSize) - 1) / UInt64(pageSize)
    }
}
