import Decompression

/// One extent of a compressed file: decoded bytes `[start, end)` and where they come from.
struct ZExtent: Sendable {
    enum Storage: Sendable {
        /// A pcluster at a byte address of device 0 (unified addressing applies).
        case pcluster(offset: UInt64, length: UInt64)
        /// ztailpacking: an inline pcluster at a byte offset of the inode's metadata space.
        case inline(offset: UInt64, length: UInt64)
        /// Bytes of the packed inode, starting at `offset` for byte `start`.
        case fragment(offset: UInt64)
        /// Encoded extents only: reads as zeros.
        case hole
    }

    enum Format: Sendable, Equatable {
        /// Raw bytes, decoded byte k = stored byte k.
        case shifted
        /// Raw bytes rotated inside the block (INTERLACED_PCLUSTER).
        case interlaced
        case compressed(CompressionAlgorithm)
    }

    var start: UInt64
    var end: UInt64
    var storage: Storage
    var format: Format
    /// The extent uses only the first `end - start` bytes of what its pcluster decodes to.
    var partialReference = false
}

/// Everything needed to map offsets of one compressed inode, built once per inode.
final class CompressedInodeMap: @unchecked Sendable {
    /// The largest decoded extent accepted (the format's limit is 12 MiB).
    static let maxExtentLength: UInt64 = 16 << 20
    /// The largest pcluster accepted (the format's limit is 1 MiB; encoded extents allow < 2 MiB).
    static let maxPclusterLength: UInt64 = 2 << 20

    let nid: UInt64
    let size: UInt64
    let layout: DataLayout
    let header: MapHeader
    let blockSizeBits: Int
    /// The algorithms the superblock allows (LZ4 alone without config records).
    let algorithms: [CompressionAlgorithm]
    private var index: LclusterIndex?
    private var encoded: EncodedExtentIndex?
    /// Head lcluster of the extent holding the last byte (with inline or fragment tails).
    private var tailHeadLcn: UInt64?
    private var inlineOffset: UInt64 = 0
    private(set) var fragmentOffset: UInt64

    init(image: Image, inode: Inode) throws {
        nid = inode.nid
        size = inode.size
        layout = inode.layout
        let sb = image.superblock
        blockSizeBits = Int(sb.blockSizeBits)
        algorithms = sb.algorithms
        let position = roundUp(inode.payloadOffset, 8)
        let raw = try image.readIndexBytes(inode.space, at: position, count: 8)
        header = try MapHeader.parse(raw, position: position, inode: inode, superblock: sb)
        fragmentOffset = header.fragmentOffset
        if header.isWholeFileFragment || size == 0 { return }
        if header.extentRecordSize > 0 {
            encoded = try EncodedExtentIndex(image: image, inode: inode, header: header)
            return
        }
        var index = try LclusterIndex(layout: layout, header: header, inode: inode, blockSizeBits: blockSizeBits)
        try index.preload(image)
        self.index = index
        if header.hasInlinePcluster || header.hasFragment {
            let (head, first) = try findHead(image, index, at: size - 1)
            tailHeadLcn = head.lcn
            inlineOffset = first.nextPackOffset
            if header.hasFragment && layout == .compressedFull { fragmentOffset |= head.blockAddress << 32 }
        }
    }

    /// The extent holding byte `offset` (< size), with its full decoded length.
    func extent(_ image: Image, at offset: UInt64) throws -> ZExtent {
        if header.isWholeFileFragment || (header.hasFragment && tailHeadLcn == 0) {
            return ZExtent(start: 0, end: size, storage: .fragment(offset: fragmentOffset), format: .shifted)
        }
        if let encoded { return try encoded.extent(image, at: offset) }
        guard let index else { throw EROFSError(.inodeInvalid, "compressed inode without an index") }
        let lclusterSize: UInt64 = 1 << UInt64(header.lclusterBits)
        let (head, _) = try findHead(image, index, at: offset)
        let start = head.lcn * lclusterSize + head.clusterOffset
        let end = try extentEnd(image, index, head: head, start: start)
        guard start <= offset, offset < end else {
            throw EROFSError(.inodeInvalid, "the extent found for offset \(offset) is \(start)..<\(end)")
        }
        var extent = ZExtent(start: start, end: end, storage: .hole, format: .shifted, partialReference: head.partialReference)
        if header.hasInlinePcluster && head.lcn == tailHeadLcn {
            let length = UInt64(header.inlineDataSize)
            let blockSize: UInt64 = 1 << UInt64(blockSizeBits)
            guard inlineOffset % blockSize + length <= blockSize else {
                throw EROFSError(.inodeInvalid, "inline pcluster of \(length) bytes at \(inlineOffset) crosses a block boundary")
            }
            extent.storage = .inline(offset: inlineOffset, length: length)
        } else if header.hasFragment && head.lcn == tailHeadLcn {
            extent.storage = .fragment(offset: fragmentOffset)
            return extent
        } else {
            let blocks = try pclusterBlocks(image, index, head: head)
            let (pa, overflow) = head.blockAddress.multipliedReportingOverflow(by: 1 << UInt64(blockSizeBits))
            guard !overflow else { throw EROFSError(.blockOutOfRange, "pcluster block \(head.blockAddress) overflows") }
            extent.storage = .pcluster(offset: pa, length: blocks << UInt64(blockSizeBits))
        }
        switch head.kind {
        case .plain:
            extent.format = header.advise.contains(.interlacedPcluster) ? .interlaced : .shifted
        case .head1, .head2:
            let algorithm = head.kind == .head1 ? header.head1Algorithm : header.head2Algorithm
            guard let algorithm, algorithms.contains(algorithm) else {
                throw EROFSError(.inodeInvalid, "extent at \(start) uses \(algorithm?.name ?? "no algorithm"), which the superblock does not list")
            }
            extent.format = .compressed(algorithm)
        case .nonhead:
            throw EROFSError(.inodeInvalid, "lookback ended on a NONHEAD lcluster")
        }
        return extent
    }

    /// The head lcluster of the extent holding `offset`, and the entry first loaded for it.
    private func findHead(_ image: Image, _ index: LclusterIndex, at offset: UInt64) throws -> (head: Lcluster, first: Lcluster) {
        let lclusterBits = UInt64(header.lclusterBits)
        let first = try checkedHead(index.load(image, offset >> lclusterBits))
        let within = offset & ((1 << lclusterBits) - 1)
        if first.isHead && within >= first.clusterOffset { return (first, first) }
        var distance: UInt64 = first.isHead ? 1 : first.lookback
        var current = first
        while true {
            guard distance > 0, current.lcn >= distance else {
                throw EROFSError(.inodeInvalid, "bogus lookback distance \(distance) at lcluster \(current.lcn)")
            }
            current = try checkedHead(index.load(image, current.lcn - distance))
            if current.isHead { return (current, first) }
            distance = current.lookback
        }
    }

    /// A head's extent must start inside its own lcluster (else two heads could claim one start).
    private func checkedHead(_ entry: Lcluster) throws -> Lcluster {
        guard !entry.isHead || entry.clusterOffset < 1 << UInt64(header.lclusterBits) else {
            throw EROFSError(.inodeInvalid, "head lcluster \(entry.lcn) starts its extent at \(entry.clusterOffset), past the lcluster's \(1 << header.lclusterBits) bytes")
        }
        return entry
    }

    /// Where the extent starting at `head` ends: at the next head's cluster offset, or at EOF.
    private func extentEnd(_ image: Image, _ index: LclusterIndex, head: Lcluster, start: UInt64) throws -> UInt64 {
        let lclusterBits = UInt64(header.lclusterBits)
        var lcn = head.lcn
        while true {
            let (position, overflow) = lcn.multipliedReportingOverflow(by: 1 << lclusterBits)
            if overflow || position >= size { return size }
            guard position <= start || position - start <= CompressedInodeMap.maxExtentLength else {
                throw EROFSError(.limitExceeded, "extent at \(start) decodes to more than \(CompressedInodeMap.maxExtentLength) bytes")
            }
            let entry = try index.load(image, lcn, lookahead: true)
            var step: UInt64 = 1
            if entry.kind == .nonhead {
                step = max(entry.lookahead, 1)
            } else if lcn != head.lcn {
                return min(position + entry.clusterOffset, size)
            }
            let (next, o) = lcn.addingReportingOverflow(step)
            if o { return size }
            lcn = next
        }
    }

    /// The pcluster size in blocks of the extent starting at `head`.
    private func pclusterBlocks(_ image: Image, _ index: LclusterIndex, head: Lcluster) throws -> UInt64 {
        let big = head.kind == .head1 ? header.advise.contains(.bigPcluster1) : header.advise.contains(.bigPcluster2)
        let next = head.lcn + 1
        guard big, next << UInt64(header.lclusterBits) < size else { return 1 }
        let entry = try index.load(image, next)
        guard entry.kind == .nonhead else { return 1 }
        guard entry.lookback == 1 else {
            throw EROFSError(.inodeInvalid, "bogus CBLKCNT at lcluster \(next)")
        }
        let blocks = max(entry.compressedBlocks ?? 1, 1)
        guard blocks << UInt64(blockSizeBits) <= CompressedInodeMap.maxPclusterLength / 2 else {
            throw EROFSError(.inodeInvalid, "pcluster of \(blocks) blocks at lcluster \(head.lcn) is larger than 1 MiB")
        }
        return blocks
    }
}
