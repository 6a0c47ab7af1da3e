import Foundation
import Crypto
import EROFS

/// Interns page contents for the ideal `chunk` policy: every distinct 4 KiB page content gets one
/// small id, so pages with equal bytes (anywhere, in any image) share one cache page.
public final class ContentPages: @unchecked Sendable {
    private struct Digest: Hashable { var a: UInt64; var b: UInt64 }
    private var ids: [Digest: UInt64] = [:]
    private let lock = NSLock()
    public let pageSize: Int

    public init(pageSize: Int = 4096) { self.pageSize = pageSize }

    /// Number of distinct page contents seen so far.
    public var distinctPages: Int { lock.withLock { ids.count } }

    /// Content ids of every page of a file (the last page zero-padded, as the page cache holds it).
    public func pageIDs(_ image: Image, _ inode: Inode) throws -> [UInt64] {
        let pages = Int((inode.size + UInt64(pageSize) - 1) / UInt64(pageSize))
        var out: [UInt64] = []
        out.reserveCapacity(pages)
        let step = 256 * pageSize
        var offset: UInt64 = 0
        var page = [UInt8](repeating: 0, count: pageSize)
        while offset < inode.size {
            let count = Int(min(UInt64(step), inode.size - offset))
            let bytes = try image.read(inode, at: offset, count: count)
            var at = 0
            while at < bytes.count {
                let n = min(pageSize, bytes.count - at)
                page.withUnsafeMutableBytes { dst in
                    bytes.withUnsafeBytes { src in
                        dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<(at + n)]))
                    }
                    if n < pageSize { dst.baseAddress!.advanced(by: n).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - n) }
                }
                out.append(intern(page))
                at += n
            }
            offset += UInt64(count)
        }
        return out
    }

    private func intern(_ page: [UInt8]) -> UInt64 {
        let hash = SHA256.hash(data: page)
        let digest = hash.withUnsafeBytes { raw in
            Digest(a: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), b: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        return lock.withLock {
            if let id = ids[digest] { return id }
            let id = UInt64(ids.count)
            ids[digest] = id
            return id
        }
    }
}
