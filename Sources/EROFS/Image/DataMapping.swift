/// One contiguous piece of a file's data and where it is stored.
public struct DataExtent: Sendable, Hashable {
    /// Where the bytes of an extent come from.
    public enum Location: Sendable, Hashable {
        /// Reads as zeros.
        case hole
        /// Stored uncompressed at a byte offset of a device (0 = primary).
        case device(id: Int, offset: UInt64)
        /// Stored right after the inode (tail packing), at a byte offset of the inode's metadata space.
        case inline(offset: UInt64)
        /// Compressed: see `CompressedExtent`.
        case compressed(CompressedExtent)
    }

    /// First byte of the file this extent covers.
    public var logicalOffset: UInt64
    /// Number of file bytes it covers.
    public var length: UInt64
    public var location: Location
    /// For chunk-based files: the chunk number.
    public var chunk: UInt64?

    public var logicalEnd: UInt64 { logicalOffset + length }
}

extension Image {
    /// Maps the byte at `offset` of an uncompressed inode to the extent holding it.
    public func extent(of inode: Inode, at offset: UInt64) throws -> DataExtent {
        try withLocation(image: path, nid: inode.nid) {
            guard offset < inode.size else {
                throw EROFSError(.invalidArgument, "offset \(offset) is past the end of the file (\(inode.size) bytes)")
            }
            let blockSize = UInt64(superblock.blockSize)
            switch inode.layout {
            case .flatPlain:
                let (start, isNull) = inode.flatStartBlock(superblock)
                if isNull { return DataExtent(logicalOffset: 0, length: inode.size, location: .hole) }
                let (pa, overflow) = start.multipliedReportingOverflow(by: blockSize)
                guard !overflow else { throw EROFSError(.blockOutOfRange, "start block \(start) overflows") }
                try checkMapping(device: 0, offset: pa, length: inode.size)
                return DataExtent(logicalOffset: 0, length: inode.size, location: .device(id: 0, offset: pa))
            case .flatInline:
                let blocks = (inode.size + blockSize - 1) / blockSize
                let tailStart = (blocks - 1) * blockSize
                if offset < tailStart {
                    let (start, _) = inode.flatStartBlock(superblock)
                    let (pa, overflow) = start.multipliedReportingOverflow(by: blockSize)
                    guard !overflow else { throw EROFSError(.blockOutOfRange, "start block \(start) overflows") }
                    try checkMapping(device: 0, offset: pa, length: tailStart)
                    return DataExtent(logicalOffset: 0, length: tailStart, location: .device(id: 0, offset: pa))
                }
                let tail = inode.size - tailStart
                let at = inode.payloadOffset
                guard at % blockSize + tail <= blockSize else {
                    throw EROFSError(.inodeInvalid, "inline tail of \(tail) bytes at \(at) crosses a block boundary")
                }
                return DataExtent(logicalOffset: tailStart, length: tail, location: .inline(offset: at))
            case .chunkBased:
                return try chunkExtent(of: inode, chunk: offset >> chunkBits(of: inode))
            case .compressedFull, .compressedCompact:
                return try compressedExtent(of: inode, at: offset)
            }
        }
    }

    /// All extents of a file, in order (holes included).
    public func extents(of inode: Inode) throws -> [DataExtent] {
        var out: [DataExtent] = []
        var offset: UInt64 = 0
        while offset < inode.size {
            let extent = try extent(of: inode, at: offset)
            guard extent.logicalEnd > offset else {
                throw EROFSError(.inodeInvalid, "mapping makes no progress at offset \(offset)", image: path, nid: inode.nid)
            }
            out.append(extent)
            offset = extent.logicalEnd
            if out.count > 50_000_000 {
                throw EROFSError(.limitExceeded, "more than 50 million extents", image: path, nid: inode.nid)
            }
        }
        return out
    }

    /// log2 of the chunk size of a chunk-based inode.
    public func chunkBits(of inode: Inode) -> UInt64 {
        UInt64(superblock.blockSizeBits) + UInt64(inode.chunkFormat & 0x1F)
    }

    /// The chunk `index` of a chunk-based inode.
    func chunkExtent(of inode: Inode, chunk index: UInt64) throws -> DataExtent {
        let format = inode.chunkFormat
        let bits = chunkBits(of: inode)
        let chunkSize: UInt64 = 1 << bits
        let logical = index << bits
        let length = min(chunkSize, inode.size - logical)
        let unit: UInt64 = format & 0x20 != 0 ? 8 : 4
        let (rel, o1) = index.multipliedReportingOverflow(by: unit)
        let (entryAt, o2) = roundUp(inode.payloadOffset, unit).addingReportingOverflow(rel)
        guard !o1, !o2 else { throw EROFSError(.inodeInvalid, "chunk index position overflows") }
        let raw: [UInt8]
        do { raw = try readMeta(inode.space, at: entryAt, count: Int(unit)) } catch let e as EROFSError where e.kind == .truncated || e.kind == .blockOutOfRange {
            throw EROFSError(.inodeInvalid, "chunk index \(index) at \(entryAt) is past the end of the metadata")
        }
        let blockSize = UInt64(superblock.blockSize)
        var device = 0
        var start: UInt64
        var isHole: Bool
        if unit == 4 {
            let block = raw.le32(0)
            start = UInt64(block)
            isHole = block == 0xFFFF_FFFF
        } else {
            let low = raw.le32(4)
            if format & 0x40 != 0 {
                start = UInt64(low) | UInt64(raw.le16(0)) << 32
                isHole = start == (1 << 48) - 1
            } else {
                start = UInt64(low)
                isHole = low == 0xFFFF_FFFF
            }
            let extra = Int(superblock.extraDevices)
            var mask = 1
            while mask < extra + 1 { mask <<= 1 }
            device = Int(raw.le16(2)) & (mask - 1)
            if !isHole && device > extra {
                throw EROFSError(.deviceIdOutOfRange, "chunk \(index) names device \(device) but the image has \(extra) extra device(s)")
            }
        }
        if isHole { return DataExtent(logicalOffset: logical, length: length, location: .hole, chunk: index) }
        let (pa, overflow) = start.multipliedReportingOverflow(by: blockSize)
        guard !overflow else { throw EROFSError(.blockOutOfRange, "chunk \(index) block \(start) overflows") }
        do { try checkMapping(device: device, offset: pa, length: length) } catch let e as EROFSError {
            throw EROFSError(e.kind, "chunk \(index): \(e.detail)")
        }
        return DataExtent(logicalOffset: logical, length: length, location: .device(id: device, offset: pa), chunk: index)
    }
}
