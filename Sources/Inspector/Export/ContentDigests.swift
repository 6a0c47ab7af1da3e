import Crypto
import EROFS

/// The digests of one regular file's contents, from one sequential read: the whole file (as
/// `--fingerprints compute` fingerprints it), each 4 KiB page (the last one zero-padded, as the
/// page cache holds it and the `chunk` design keys it) and each data extent's bytes.
struct ContentDigests {
    /// SHA-256 of the whole contents.
    var file: [UInt8]
    /// SHA-256 of each page, in lowercase hex.
    var pages: [String]
    /// SHA-256 of each extent's logical bytes, in lowercase hex (same order as the extents).
    var extents: [String]

    /// Reads `inode` once, in 1 MiB pieces, hashing as it goes.
    static func compute(_ image: Image, _ inode: Inode, extents: [DataExtent], pageSize: Int = ExportSchema.pageSize) throws -> ContentDigests {
        var fileHasher = SHA256()
        var pages: [String] = []
        pages.reserveCapacity(Int((inode.size + UInt64(pageSize) - 1) / UInt64(pageSize)))
        var extentDigests: [String] = []
        extentDigests.reserveCapacity(extents.count)
        // One extent covering the whole file (most files): its digest is the file's.
        let wholeFileExtent = extents.count == 1 && extents[0].logicalOffset == 0 && extents[0].length == inode.size
        var extentIndex = wholeFileExtent ? extents.count : 0
        var extentHasher = SHA256()
        let step = 256 * pageSize
        var offset: UInt64 = 0
        var padded = [UInt8](repeating: 0, count: pageSize)
        while offset < inode.size {
            let count = Int(min(UInt64(step), inode.size - offset))
            let bytes = try image.read(inode, at: offset, count: count)
            guard bytes.count == count else {
                throw EROFSError(.inodeInvalid, "short read at \(offset): \(bytes.count) of \(count) bytes", image: image.path, nid: inode.nid)
            }
            bytes.withUnsafeBytes { raw in
                fileHasher.update(bufferPointer: raw)
                var at = 0
                while at < count {
                    let n = min(pageSize, count - at)
                    if n == pageSize {
                        pages.append(hex(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)]))))
                    } else {
                        for k in 0..<pageSize { padded[k] = k < n ? raw[at + k] : 0 }
                        pages.append(hex(SHA256.hash(data: padded)))
                    }
                    at += n
                }
                // Extent boundaries fall anywhere in the piece.
                var position = offset
                let end = offset + UInt64(count)
                while position < end, extentIndex < extents.count {
                    let extentEnd = extents[extentIndex].logicalEnd
                    let take = min(end, extentEnd) - position
                    let from = Int(position - offset)
                    extentHasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[from..<(from + Int(take))]))
                    position += take
                    if position >= extentEnd {
                        extentDigests.append(hex(extentHasher.finalize()))
                        extentHasher = SHA256()
                        extentIndex += 1
                    }
                }
            }
            offset += UInt64(count)
        }
        let file = Array(fileHasher.finalize())
        if wholeFileExtent { extentDigests = [hex(file)] }
        return ContentDigests(file: file, pages: pages, extents: extentDigests)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.withUnsafeBytes { hex($0) } }
}
