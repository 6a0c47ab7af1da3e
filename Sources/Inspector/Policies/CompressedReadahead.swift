import EROFS
import PageCacheModel

/// How EROFS widens reads of compressed files (`z_erofs_pcluster_readmore`): the pages asked
/// for grow back to the first page that starts inside the extent holding the first byte, and
/// forward to the end of the extent holding the last byte — the whole extent for LZMA, DEFLATE
/// and Zstandard and for encoded (`-E48bit`) extents, only to the end of that lcluster for LZ4
/// and raw pclusters of indexed files. Fragments and holes are not widened.
final class CompressedReadahead {
    /// One extent as readmore sees it.
    struct Extent {
        var start: UInt64
        var end: UInt64
        /// The trailing edge grows to `end` (else to the end of the lcluster holding the last byte).
        var wholeExtent: Bool
        /// Mapped and encoded: fragments and holes are never widened.
        var widens: Bool
    }

    private let pageSize: UInt64
    /// Indexed by file id (ids are dense): whether the file is compressed, so that reads of
    /// other files cost an array lookup on the replay's hot path.
    private var isCompressed: [Bool] = []
    private var pending: [FileID: (image: Image, inode: Inode)] = [:]
    private var extents: [FileID: (lclusterSize: UInt64, list: [Extent])] = [:]

    init(pageSize: UInt64 = 4096) { self.pageSize = pageSize }

    /// Notes a file; compressed regular files are mapped on their first read.
    func register(_ file: FileID, inode: Inode, image: Image) {
        guard inode.type == .regular, inode.layout.isCompressed, inode.size > 0 else { return }
        let i = Int(file.rawValue)
        if i >= isCompressed.count { isCompressed += repeatElement(false, count: i + 1 - isCompressed.count) }
        isCompressed[i] = true
        pending[file] = (image, inode)
    }

    /// The pages really brought in when `pages` of `file` are read.
    func expand(_ file: FileID, _ pages: Range<UInt64>) -> Range<UInt64> {
        let i = Int(file.rawValue)
        guard i < isCompressed.count, isCompressed[i], !pages.isEmpty,
              let (lclusterSize, list) = map(file), !list.isEmpty else { return pages }
        var lower = pages.lowerBound, upper = pages.upperBound
        if let first = extent(in: list, at: pages.lowerBound * pageSize), first.widens {
            lower = Swift.min(lower, (first.start + pageSize - 1) / pageSize)
        }
        let lastByte = Swift.min(pages.upperBound * pageSize, list.last!.end) - 1
        if let last = extent(in: list, at: lastByte), last.widens {
            let end = last.wholeExtent ? last.end : Swift.min(last.end, (lastByte / lclusterSize + 1) * lclusterSize)
            upper = Swift.max(upper, (end + pageSize - 1) / pageSize)
        }
        return lower..<upper
    }

    private func map(_ file: FileID) -> (UInt64, [Extent])? {
        if let done = extents[file] { return done }
        guard let (image, inode) = pending.removeValue(forKey: file) else { return nil }
        var result: (UInt64, [Extent]) = (pageSize, [])
        if let layout = try? image.compressionLayout(of: inode), let all = try? image.extents(of: inode) {
            result.0 = layout.lclusterSize
            result.1 = all.map { e in
                let reach = e.readmoreReach(indexFormat: layout.indexFormat)
                return Extent(start: e.logicalOffset, end: e.logicalEnd, wholeExtent: reach == .wholeExtent, widens: reach != .none)
            }
        }
        extents[file] = result
        return result
    }

    private func extent(in list: [Extent], at offset: UInt64) -> Extent? {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low < list.count && list[low].start <= offset ? list[low] : nil
    }
}
