import Decompression

/// The 8-byte map header of a compressed inode (erofs-format.md §7.2), decoded with the
/// kernel's consistency checks (z_erofs_fill_inode_lazy).
struct MapHeader: Sendable {
    /// `h_advise` bits.
    struct Advise: OptionSet, Sendable {
        let rawValue: UInt16
        /// Compact layout: 2-byte packs allowed. Full layout: encoded extents (`-E48bit`).
        static let compacted2BOrExtents = Advise(rawValue: 0x01)
        static let bigPcluster1 = Advise(rawValue: 0x02)
        static let bigPcluster2 = Advise(rawValue: 0x04)
        static let inlinePcluster = Advise(rawValue: 0x08)
        static let interlacedPcluster = Advise(rawValue: 0x10)
        static let fragmentPcluster = Advise(rawValue: 0x20)
    }

    /// Byte offset (in the inode's metadata space) of the header itself.
    var position: UInt64
    var advise: Advise
    /// log2 of the logical cluster size.
    var lclusterBits: Int
    /// Algorithms of HEAD1 and HEAD2 lclusters.
    var head1Algorithm: CompressionAlgorithm?
    var head2Algorithm: CompressionAlgorithm?
    /// Offset of the tail (or whole-file) fragment in the packed inode, before any high bits
    /// a FULL layout stores in the tail head's block address.
    var fragmentOffset: UInt64
    /// ztailpacking: size of the inline pcluster.
    var inlineDataSize: UInt16
    /// The whole file is one fragment of the packed inode (bit 63 of the header).
    var isWholeFileFragment: Bool
    /// Encoded extents: record size in bytes and record count (for record sizes ≥ 16).
    var extentRecordSize: Int
    var extentCount: UInt64

    var hasFragment: Bool { advise.contains(.fragmentPcluster) }
    var hasInlinePcluster: Bool { inlineDataSize != 0 }

    /// Parses the header of `inode`, whose raw 8 bytes are `raw`.
    static func parse(_ raw: [UInt8], position: UInt64, inode: Inode, superblock sb: Superblock) throws -> MapHeader {
        var header = MapHeader(position: position, advise: [], lclusterBits: Int(sb.blockSizeBits),
                               head1Algorithm: nil, head2Algorithm: nil, fragmentOffset: 0, inlineDataSize: 0,
                               isWholeFileFragment: false, extentRecordSize: 0, extentCount: 0)
        if raw[7] & 0x80 != 0 {
            guard sb.incompat.contains(.fragments) else {
                throw EROFSError(.inodeInvalid, "whole-file fragment, but the image has no FRAGMENTS feature")
            }
            header.advise = .fragmentPcluster
            header.fragmentOffset = raw.le64(0) ^ (1 << 63)
            header.isWholeFileFragment = true
            return header
        }
        header.advise = Advise(rawValue: raw.le16(4))
        header.lclusterBits = Int(sb.blockSizeBits) + Int(raw[7] & 15)
        if inode.layout == .compressedFull && header.advise.contains(.compacted2BOrExtents) {
            guard sb.incompat.contains(.address48Bit) else {
                throw EROFSError(.inodeInvalid, "encoded extents, but the image has no 48BIT feature")
            }
            header.extentRecordSize = 4 << ((Int(header.advise.rawValue) >> 1) & 3)
            header.extentCount = UInt64(raw.le32(0)) | (header.extentRecordSize >= 16 ? UInt64(raw.le16(6)) << 32 : 0)
            if header.hasFragment && !sb.incompat.contains(.fragments) {
                throw EROFSError(.inodeInvalid, "fragment extent, but the image has no FRAGMENTS feature")
            }
            return header
        }
        guard header.lclusterBits <= 20 else {
            throw EROFSError(.inodeInvalid, "lcluster size 2^\(header.lclusterBits) is larger than 1 MiB")
        }
        for (index, nibble) in [raw[6] & 15, raw[6] >> 4].enumerated() {
            guard let algorithm = CompressionAlgorithm(rawValue: nibble) else {
                throw EROFSError(.unsupportedFeature, "unknown HEAD\(index + 1) algorithm \(nibble)")
            }
            if index == 0 { header.head1Algorithm = algorithm } else { header.head2Algorithm = algorithm }
        }
        if header.hasFragment {
            guard sb.incompat.contains(.fragments) else {
                throw EROFSError(.inodeInvalid, "fragment pcluster, but the image has no FRAGMENTS feature")
            }
            header.fragmentOffset = UInt64(raw.le32(0))
        } else if header.advise.contains(.inlinePcluster) {
            guard sb.incompat.contains(.ztailpacking) else {
                throw EROFSError(.inodeInvalid, "inline pcluster, but the image has no ZTAILPACKING feature")
            }
            header.inlineDataSize = raw.le16(2)
        }
        let big: Advise = [.bigPcluster1, .bigPcluster2]
        if !sb.incompat.contains(.compressionConfigs) && !header.advise.isDisjoint(with: big) {
            throw EROFSError(.inodeInvalid, "big pclusters, but the image has no BIG_PCLUSTER feature")
        }
        if inode.layout == .compressedCompact && header.advise.contains(.bigPcluster1) != header.advise.contains(.bigPcluster2) {
            throw EROFSError(.inodeInvalid, "compact indexes with big pclusters for only one of HEAD1/HEAD2")
        }
        return header
    }
}
