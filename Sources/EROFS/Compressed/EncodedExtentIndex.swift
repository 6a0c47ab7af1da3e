import Decompression

/// Encoded extents (FULL layout with the EXTENTS advise bit, `mkfs.erofs -E48bit`;
/// erofs-format.md §7.7). Physical addresses are byte offsets of device 0.
struct EncodedExtentIndex: Sendable {
    static let lengthMask: UInt32 = 0x1F_FFFF
    static let partialReferenceBit: UInt32 = 1 << 27
    /// Record sizes 4 and 8 keep one record per lcluster; more than this many are refused.
    static let maxPerLclusterRecords: UInt64 = 1 << 24
    /// The most record bytes read for one inode (16 MiB: a 16 GiB file with 4-byte records).
    static let maxRecordBytes: UInt64 = 16 << 20

    let recordSize: Int
    let start: UInt64
    let size: UInt64
    let lclusterBits: Int
    let blockSize: UInt64
    let interlaced: Bool
    let hasFragment: Bool
    let algorithms: [CompressionAlgorithm]
    let recordCount: UInt64
    /// The records' bytes (after the 8-byte base for record size 4).
    private let records: [UInt8]
    /// Record size 4: byte address of each lcluster's pcluster (prefix sums of the lengths).
    private let addresses: [UInt64]

    init(image: Image, inode: Inode, header: MapHeader) throws {
        recordSize = header.extentRecordSize
        start = roundUp(header.position + 8, UInt64(recordSize))
        size = inode.size
        lclusterBits = header.lclusterBits
        blockSize = UInt64(image.blockSize)
        interlaced = header.advise.contains(.interlacedPcluster)
        hasFragment = header.hasFragment
        algorithms = image.superblock.algorithms
        guard lclusterBits <= 40 else { throw EROFSError(.inodeInvalid, "lcluster size 2^\(lclusterBits) is impossible") }
        if recordSize <= 8 {
            recordCount = (size + (1 << UInt64(lclusterBits)) - 1) >> UInt64(lclusterBits)
        } else {
            recordCount = header.extentCount
        }
        guard recordCount <= EncodedExtentIndex.maxPerLclusterRecords else {
            throw EROFSError(.limitExceeded, "\(recordCount) extent records (limit \(EncodedExtentIndex.maxPerLclusterRecords))")
        }
        guard recordCount > 0 else { throw EROFSError(.inodeInvalid, "a compressed file of \(size) bytes with no extent records") }
        let base: UInt64 = recordSize == 4 ? 8 : 0
        guard recordCount * UInt64(recordSize) <= EncodedExtentIndex.maxRecordBytes else {
            throw EROFSError(.limitExceeded, "\(recordCount) extent records of \(recordSize) bytes (limit \(EncodedExtentIndex.maxRecordBytes) bytes)")
        }
        let bytes = try image.readIndexBytes(inode.space, at: start, count: Int(base + recordCount * UInt64(recordSize)))
        records = Array(bytes[Int(base)...])
        if recordSize == 4 {
            var address = bytes.le64(0)
            var list = [UInt64]()
            list.reserveCapacity(Int(recordCount))
            for i in 0..<Int(recordCount) {
                list.append(address)
                let (next, overflow) = address.addingReportingOverflow(UInt64(records.le32(4 * i) & EncodedExtentIndex.lengthMask))
                guard !overflow else { throw EROFSError(.inodeInvalid, "extent addresses overflow at record \(i)") }
                address = next
            }
            addresses = list
        } else {
            addresses = []
        }
    }

    /// The extent holding byte `offset`.
    func extent(_ image: Image, at offset: UInt64) throws -> ZExtent {
        let extentStart: UInt64, extentEnd: UInt64, word: UInt32, address: UInt64, isLast: Bool
        if recordSize <= 8 {
            let lcn = offset >> UInt64(lclusterBits)
            extentStart = lcn << UInt64(lclusterBits)
            extentEnd = min(extentStart + (1 << UInt64(lclusterBits)), size)
            isLast = lcn + 1 == recordCount
            if recordSize == 4 {
                word = records.le32(Int(lcn) * 4)
                address = addresses[Int(lcn)]
            } else {
                word = records.le32(Int(lcn) * 8)
                address = UInt64(records.le32(Int(lcn) * 8 + 4))
            }
        } else {
            var low = 0, high = Int(recordCount)
            var found: Int?
            while low < high {
                let mid = low + (high - low) / 2
                if lstart(mid) > offset { high = mid } else { found = mid; low = mid + 1 }
            }
            guard let found else { throw EROFSError(.inodeInvalid, "no extent record covers offset \(offset)") }
            extentStart = lstart(found)
            isLast = found + 1 == Int(recordCount)
            extentEnd = isLast ? size : lstart(found + 1)
            guard extentEnd <= size, extentEnd > offset else {
                throw EROFSError(.inodeInvalid, "extent records are not sorted at record \(found)")
            }
            let at = found * recordSize
            word = records.le32(at)
            address = UInt64(records.le32(at + 4)) | UInt64(records.le32(at + 8)) << 32
        }
        var extent = ZExtent(start: extentStart, end: extentEnd, storage: .hole, format: .shifted)
        if isLast && hasFragment {
            var fragment = UInt64(word)
            if recordSize > 4 { fragment |= address << 32 }
            extent.storage = .fragment(offset: fragment)
            return extent
        }
        let length = UInt64(word & EncodedExtentIndex.lengthMask)
        guard length != 0 else { return extent }
        extent.storage = .pcluster(offset: address, length: length)
        extent.partialReference = word & EncodedExtentIndex.partialReferenceBit != 0
        let format = word >> 28
        if format == 0 {
            extent.format = interlaced && address % blockSize == 0 ? .interlaced : .shifted
        } else {
            guard let algorithm = CompressionAlgorithm(rawValue: UInt8(format - 1)),
                  algorithms.contains(algorithm) else {
                throw EROFSError(.inodeInvalid, "extent at \(extentStart) uses algorithm \(format - 1), which the superblock does not list")
            }
            extent.format = .compressed(algorithm)
        }
        return extent
    }

    private func lstart(_ record: Int) -> UInt64 {
        let at = record * recordSize
        var value = UInt64(records.le32(at + 12))
        if recordSize >= 32 { value |= UInt64(records.le32(at + 16)) << 32 }
        return value
    }
}
