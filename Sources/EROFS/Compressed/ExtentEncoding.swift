import Decompression

/// How a compressed file's pcluster is encoded: by an algorithm, or stored raw.
public enum ExtentEncoding: Sendable, Hashable {
    case compressed(CompressionAlgorithm)
    /// An uncompressed pcluster (`Z_EROFS_COMPRESSION_SHIFTED`).
    case raw
    /// An uncompressed pcluster stored rotated (`Z_EROFS_COMPRESSION_INTERLACED`).
    case rawInterlaced

    /// `lz4`, `lzma`, `deflate`, `zstd`, `raw` or `raw-interlaced`, as `stat` prints it.
    public var name: String {
        switch self {
        case .compressed(let a): a.name
        case .raw: "raw"
        case .rawInterlaced: "raw-interlaced"
        }
    }

    /// Stored without compression.
    public var isRaw: Bool { if case .compressed = self { false } else { true } }
}

/// The kind of pcluster an extent lives in.
public enum PclusterKind: String, Sendable, Hashable {
    /// A compressed pcluster (the extent's HEAD lcluster starts it).
    case head
    /// A raw pcluster.
    case plain
    /// The ztailpacking pcluster kept inline in the inode's metadata.
    case inline
    /// Data in the packed inode.
    case fragment
    /// A partial reference to a pcluster another extent shares (dedupe).
    case dedupe

    /// The name `stat` prints.
    public var name: String { rawValue }
}

extension CompressionLayout {
    /// How a compressed inode's lcluster indexes are stored.
    public enum IndexFormat: String, Sendable, Hashable {
        case compact
        case full
        /// `-E48bit` encoded extent records.
        case encodedExtents = "encoded-extents"
        /// A whole-file fragment has no indexes.
        case none

        /// The name `stat` prints.
        public var name: String { rawValue }
    }
}

/// How far the kernel widens a read that reaches into an extent (`z_erofs_pcluster_readmore`).
public enum ReadmoreReach: Sendable, Hashable {
    /// Not widened: holes, fragments, and extents that are not compressed-file extents.
    case none
    /// Widened to the end of the lcluster holding the last byte read (LZ4 and raw pclusters of
    /// indexed files: readmore stops at the lcluster boundary the decompressor needs).
    case endOfLcluster
    /// Widened to the whole extent (LZMA, DEFLATE and Zstandard decode whole pclusters, and
    /// encoded extents are mapped whole).
    case wholeExtent
}

extension DataExtent {
    /// How far a read reaching into this extent is widened, given the file's index format.
    public func readmoreReach(indexFormat: CompressionLayout.IndexFormat) -> ReadmoreReach {
        guard case .compressed(let c) = location, c.kind != .fragment else { return .none }
        if indexFormat == .encodedExtents { return .wholeExtent }
        switch c.algorithm {
        case .compressed(.lzma), .compressed(.deflate), .compressed(.zstd): return .wholeExtent
        default: return .endOfLcluster
        }
    }
}
