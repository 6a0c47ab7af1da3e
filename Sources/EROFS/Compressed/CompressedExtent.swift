import Decompression

/// Where a compressed file's extent is stored: shown by `stat` and used by the page cache model.
public struct CompressedExtent: Sendable, Hashable {
    /// Device holding the pcluster (compressed data is addressed on device 0).
    public var device: Int
    /// Byte address of the pcluster; for `inline`, the byte offset in the inode's metadata
    /// space; for `fragment`, the byte offset in the packed inode.
    public var physicalOffset: UInt64
    /// Bytes stored (the pcluster size; for fragments, the extent's length).
    public var physicalLength: UInt64
    /// How the pcluster is encoded.
    public var algorithm: ExtentEncoding
    /// What kind of pcluster holds the extent.
    public var kind: PclusterKind

    public init(device: Int, physicalOffset: UInt64, physicalLength: UInt64, algorithm: ExtentEncoding, kind: PclusterKind) {
        self.device = device
        self.physicalOffset = physicalOffset
        self.physicalLength = physicalLength
        self.algorithm = algorithm
        self.kind = kind
    }
}

/// A summary of a compressed inode's map header, for `stat`.
public struct CompressionLayout: Sendable, Equatable {
    /// How the lcluster indexes are stored.
    public var indexFormat: IndexFormat
    public var lclusterSize: UInt64
    /// Algorithms of HEAD1 and (when it differs) HEAD2 extents.
    public var algorithms: [String]
    /// Advise flags by name: big-pcluster-1/2, ztailpacking, interlaced, fragment, whole-file-fragment,
    /// and `N-byte-records` for encoded extents.
    public var flags: [String]
    /// ztailpacking: bytes of the inline pcluster.
    public var inlineDataSize: Int
    /// With a tail fragment: its offset in the packed inode.
    public var fragmentOffset: UInt64?
}

extension Image {
    /// Maps byte `offset` of a compressed inode to its whole extent.
    func compressedExtent(of inode: Inode, at offset: UInt64) throws -> DataExtent {
        let extent = try compressedMap(of: inode).extent(self, at: offset)
        let length = extent.end - extent.start
        let algorithm: ExtentEncoding
        switch extent.format {
        case .shifted: algorithm = .raw
        case .interlaced: algorithm = .rawInterlaced
        case .compressed(let a): algorithm = .compressed(a)
        }
        let location: DataExtent.Location
        switch extent.storage {
        case .hole:
            location = .hole
        case .pcluster(let pa, let plen):
            let kind: PclusterKind = extent.partialReference ? .dedupe : (algorithm.isRaw ? .plain : .head)
            location = .compressed(CompressedExtent(device: 0, physicalOffset: pa, physicalLength: plen, algorithm: algorithm, kind: kind))
        case .inline(let at, let plen):
            location = .compressed(CompressedExtent(device: 0, physicalOffset: at, physicalLength: plen, algorithm: algorithm, kind: .inline))
        case .fragment(let at):
            location = .compressed(CompressedExtent(device: 0, physicalOffset: at, physicalLength: length, algorithm: .raw, kind: .fragment))
        }
        return DataExtent(logicalOffset: extent.start, length: length, location: location)
    }

    /// The map header of a compressed inode, summarised; nil for other layouts.
    public func compressionLayout(of inode: Inode) throws -> CompressionLayout? {
        guard inode.layout.isCompressed, inode.size > 0 else { return nil }
        let map = try withLocation(image: path, nid: inode.nid) { try compressedMap(of: inode) }
        let h = map.header
        var flags: [String] = []
        if h.isWholeFileFragment { flags.append("whole-file-fragment") }
        if h.advise.contains(.bigPcluster1) { flags.append("big-pcluster-1") }
        if h.advise.contains(.bigPcluster2) { flags.append("big-pcluster-2") }
        if h.hasInlinePcluster { flags.append("ztailpacking") }
        if h.advise.contains(.interlacedPcluster) { flags.append("interlaced") }
        if h.hasFragment && !h.isWholeFileFragment { flags.append("fragment") }
        if h.extentRecordSize > 0 { flags.append("\(h.extentRecordSize)-byte-records") }
        let format: CompressionLayout.IndexFormat = h.isWholeFileFragment ? .none : h.extentRecordSize > 0 ? .encodedExtents : inode.layout == .compressedCompact ? .compact : .full
        let algorithms = h.isWholeFileFragment || h.extentRecordSize > 0 ? [] : [h.head1Algorithm, h.head2Algorithm].map { $0?.name ?? "?" }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return CompressionLayout(indexFormat: format, lclusterSize: 1 << UInt64(h.lclusterBits), algorithms: algorithms,
                                 flags: flags, inlineDataSize: Int(h.inlineDataSize),
                                 fragmentOffset: h.hasFragment ? map.fragmentOffset : nil)
    }
}
