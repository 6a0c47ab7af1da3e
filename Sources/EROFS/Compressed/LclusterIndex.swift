/// One decoded lcluster index entry (erofs-format.md §7.3–7.5).
struct Lcluster: Sendable {
    enum Kind: UInt8, Sendable {
        case plain = 0, head1 = 1, nonhead = 2, head2 = 3
    }

    var lcn: UInt64
    var kind: Kind
    /// HEAD: where the new extent begins inside this lcluster. NONHEAD: the lcluster size.
    var clusterOffset: UInt64
    /// NONHEAD: distance back to the head (1 for a CBLKCNT entry).
    var lookback: UInt64 = 0
    /// NONHEAD: distance forward to the next head (only when asked for).
    var lookahead: UInt64 = 0
    /// HEAD: the pcluster's start block.
    var blockAddress: UInt64 = 0
    /// The first NONHEAD of a big pcluster: its size in blocks (CBLKCNT); else nil.
    var compressedBlocks: UInt64?
    /// HEAD (full indexes): the extent uses only a prefix of what its pcluster decodes to.
    var partialReference = false
    /// The byte just after the pack (compact) or entry (full) holding this lcluster.
    var nextPackOffset: UInt64

    var isHead: Bool { kind != .nonhead }
}

/// Reads lcluster entries of one compressed inode, from index bytes loaded once when they
/// are small enough, else straight from the metadata space.
struct LclusterIndex: Sendable {
    static let cblkcntFlag: UInt64 = 0x800
    /// Index areas up to this size are read in one go and kept with the inode's map.
    static let cachedIndexLimit = 8 << 20

    let layout: DataLayout
    let header: MapHeader
    let fileSize: UInt64
    let blockSizeBits: Int
    let space: MetaSpace
    /// Number of entries: ceil(size / block size), as the kernel counts them.
    let entryCount: UInt64
    /// First byte of the entries and, if cached, their bytes.
    let start: UInt64
    let end: UInt64
    private(set) var cache: [UInt8]?

    init(layout: DataLayout, header: MapHeader, inode: Inode, blockSizeBits: Int) throws {
        self.layout = layout
        self.header = header
        fileSize = inode.size
        self.blockSizeBits = blockSizeBits
        space = inode.space
        let lclusters = (inode.size + (1 << UInt64(header.lclusterBits)) - 1) >> UInt64(header.lclusterBits)
        if layout == .compressedCompact {
            entryCount = (inode.size + (1 << UInt64(blockSizeBits)) - 1) >> UInt64(blockSizeBits)
            start = header.position + 8
            end = entryCount == 0 ? start : LclusterIndex.compactPosition(of: entryCount - 1, start: start, entryCount: entryCount,
                                                                          allows2B: header.advise.contains(.compacted2BOrExtents)).packEnd
        } else {
            entryCount = lclusters
            start = header.position + 16
            let (bytes, o1) = lclusters.multipliedReportingOverflow(by: 8)
            let (sum, o2) = start.addingReportingOverflow(bytes)
            guard !o1, !o2 else { throw EROFSError(.inodeInvalid, "index of \(lclusters) entries overflows") }
            end = sum
        }
    }

    /// Loads the entries into memory when the area is small; errors if it runs past the metadata.
    mutating func preload(_ image: Image) throws {
        guard end - start <= UInt64(LclusterIndex.cachedIndexLimit), end > start else { return }
        cache = try image.readIndexBytes(space, at: start, count: Int(end - start))
    }

    private func bytes(_ image: Image, at position: UInt64, count: Int) throws -> ArraySlice<UInt8> {
        if let cache, position >= start, position + UInt64(count) <= end {
            let from = Int(position - start)
            return cache[from..<(from + count)]
        }
        return try image.readIndexBytes(space, at: position, count: count)[...]
    }

    /// Loads entry `lcn`; `lookahead` also works out the distance to the next head (compact only; full entries store it).
    func load(_ image: Image, _ lcn: UInt64, lookahead: Bool = false) throws -> Lcluster {
        guard lcn < entryCount else {
            throw EROFSError(.inodeInvalid, "lcluster \(lcn) is past the index end (\(entryCount) entries)")
        }
        return layout == .compressedCompact ? try loadCompact(image, lcn, lookahead: lookahead) : try loadFull(image, lcn)
    }

    private func loadFull(_ image: Image, _ lcn: UInt64) throws -> Lcluster {
        let position = start + lcn * 8
        let e = try bytes(image, at: position, count: 8)
        let advise = e.le16(0)
        guard let kind = Lcluster.Kind(rawValue: UInt8(advise & 3)) else { fatalError("2-bit type") }
        var entry = Lcluster(lcn: lcn, kind: kind, clusterOffset: UInt64(e.le16(2)), nextPackOffset: position + 8)
        if kind == .nonhead {
            entry.clusterOffset = 1 << UInt64(header.lclusterBits)
            var delta0 = UInt64(e.le16(4))
            if delta0 & LclusterIndex.cblkcntFlag != 0 {
                try checkBigPcluster(lcn)
                entry.compressedBlocks = delta0 & ~LclusterIndex.cblkcntFlag
                delta0 = 1
            }
            entry.lookback = delta0
            entry.lookahead = UInt64(e.le16(6))
        } else {
            entry.partialReference = advise & 0x8000 != 0
            entry.blockAddress = UInt64(e.le32(4))
        }
        return entry
    }

    private func checkBigPcluster(_ lcn: UInt64) throws {
        guard !header.advise.isDisjoint(with: [.bigPcluster1, .bigPcluster2]) else {
            throw EROFSError(.inodeInvalid, "CBLKCNT at lcluster \(lcn) without big pclusters")
        }
    }

    /// Where compact entry `lcn` sits, the size of its pack and the pack's end.
    static func compactPosition(of lcn: UInt64, start: UInt64, entryCount: UInt64, allows2B: Bool)
        -> (position: UInt64, unitShift: UInt64, packEnd: UInt64) {
        let initial4B = ((32 - start % 32) / 4) & 7
        var count2B: UInt64 = 0
        if allows2B && initial4B < entryCount { count2B = (entryCount - initial4B) / 16 * 16 }
        var position = start
        var shift: UInt64 = 2
        var index = lcn
        if index >= initial4B {
            position += initial4B * 4
            index -= initial4B
            if index < count2B {
                shift = 1
            } else {
                position += count2B * 2
                index -= count2B
            }
        }
        position += index << shift
        let packBytes: UInt64 = shift == 2 ? 8 : 32
        return (position, shift, position / packBytes * packBytes + packBytes)
    }

    private func loadCompact(_ image: Image, _ lcn: UInt64, lookahead: Bool) throws -> Lcluster {
        let lclusterBits = header.lclusterBits
        let (position, shift, packEnd) = LclusterIndex.compactPosition(of: lcn, start: start, entryCount: entryCount,
                                                                       allows2B: header.advise.contains(.compacted2BOrExtents))
        let vcnt: Int
        if shift == 2 && lclusterBits <= 14 { vcnt = 2 } else if shift == 1 && lclusterBits <= 12 { vcnt = 16 } else {
            throw EROFSError(.unsupportedLayout, "compact indexes with 2^\(lclusterBits)-byte lclusters")
        }
        let packBytes = vcnt << Int(shift)
        let pack = try bytes(image, at: packEnd - UInt64(packBytes), count: packBytes)
        let lobits = max(lclusterBits, 12)
        let encodeBits = (packBytes - 4) * 8 / vcnt
        func field(_ i: Int) -> (lo: UInt64, kind: Lcluster.Kind) {
            let bit = encodeBits * i
            let b = pack.startIndex + bit / 8
            var word = UInt32(pack[b])
            for k in 1..<4 where b + k < pack.endIndex { word |= UInt32(pack[b + k]) << (8 * UInt32(k)) }
            let v = word >> UInt32(bit & 7)
            return (UInt64(v & ((1 << UInt32(lobits)) - 1)), Lcluster.Kind(rawValue: UInt8((v >> UInt32(lobits)) & 3))!)
        }
        var i = Int((position - (packEnd - UInt64(packBytes))) >> shift)
        let (lo, kind) = field(i)
        var entry = Lcluster(lcn: lcn, kind: kind, clusterOffset: lo, nextPackOffset: packEnd)
        let bigPcluster = header.advise.contains(.bigPcluster1)
        if kind == .nonhead {
            entry.clusterOffset = 1 << UInt64(lclusterBits)
            if lookahead {
                var distance: UInt64 = 0
                var j = i
                var last = lo
                while j < vcnt {
                    let f = field(j)
                    if f.kind != .nonhead { break }
                    last = f.lo
                    distance += 1
                    j += 1
                }
                if j == vcnt && last & LclusterIndex.cblkcntFlag == 0 { distance += max(last, 1) - 1 }
                entry.lookahead = distance
            }
            if lo & LclusterIndex.cblkcntFlag != 0 {
                guard bigPcluster else { throw EROFSError(.inodeInvalid, "CBLKCNT at lcluster \(lcn) without big pclusters") }
                entry.compressedBlocks = lo & ~LclusterIndex.cblkcntFlag
                entry.lookback = 1
            } else if i + 1 != vcnt {
                entry.lookback = lo
            } else {
                // The last field of a pack stores delta[1]; delta[0] follows from the previous field.
                let previous = field(i - 1)
                var d: UInt64 = 0
                if previous.kind == .nonhead { d = previous.lo & LclusterIndex.cblkcntFlag != 0 ? 1 : previous.lo }
                entry.lookback = d + 1
            }
            return entry
        }
        var blocks: UInt64 = 0
        if !bigPcluster {
            blocks = 1
            while i > 0 {
                i -= 1
                let f = field(i)
                if f.kind == .nonhead { i -= Int(f.lo) }
                if i >= 0 { blocks += 1 }
            }
        } else {
            while i > 0 {
                i -= 1
                let f = field(i)
                if f.kind == .nonhead {
                    if f.lo & LclusterIndex.cblkcntFlag != 0 {
                        i -= 1
                        blocks += f.lo & ~LclusterIndex.cblkcntFlag
                        continue
                    }
                    guard f.lo > 1 else {
                        throw EROFSError(.inodeInvalid, "big pcluster lookback of \(f.lo) in the pack of lcluster \(lcn)")
                    }
                    i -= Int(f.lo) - 2
                    continue
                }
                blocks += 1
            }
        }
        entry.blockAddress = UInt64(pack.le32(packBytes - 4)) + blocks
        return entry
    }
}
