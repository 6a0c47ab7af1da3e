import Foundation
import Crypto
import EROFS

/// Interns page contents for the ideal `chunk` policy: every distinct 4 KiB page content gets one
/// small id, so pages with equal bytes (anywhere, in any image) share one cache page.
public final class ContentPages: @unchecked Sendable {
    private var ids: [PageDigest: UInt64] = [:]
    private let lock = NSLock()
    public let pageSize: Int

    public init(pageSize: Int = 4096) { self.pageSize = pageSize }

    /// Number of distinct page contents seen so far.
    public var distinctPages: Int { lock.withLock { ids.count } }

    /// Content ids of every page of a file (the last page zero-padded, as the page cache holds it).
    public func pageIDs(_ image: Image, _ inode: Inode) throws -> [UInt64] {
        var digests = PageDigests(pageSize: pageSize)
        let step = 256 * pageSize
        var offset: UInt64 = 0
        while offset < inode.size {
            let count = Int(min(UInt64(step), inode.size - offset))
            digests.add(try image.read(inode, at: offset, count: count))
            offset += UInt64(count)
        }
        return ids(of: digests.finish())
    }

    /// Content ids of pages whose digests were computed already (``PageDigests``), in order.
    func ids(of digests: [PageDigest]) -> [UInt64] {
        lock.withLock {
            digests.map { digest in
                if let id = ids[digest] { return id }
                let id = UInt64(ids.count)
                ids[digest] = id
                return id
            }
        }
    }
}

/// A page content's identity: the first 128 bits of the SHA-256 of its bytes.
struct PageDigest: Hashable, Sendable { var a: UInt64; var b: UInt64 }

/// The digests of a file's pages, from its bytes in order (the last page zero-padded, as the
/// page cache holds it); callers feed any chunking of the bytes.
struct PageDigests {
    let pageSize: Int
    private(set) var digests: [PageDigest] = []
    private var page: [UInt8]
    private var filled = 0

    init(pageSize: Int) {
        self.pageSize = pageSize
        page = [UInt8](repeating: 0, count: pageSize)
    }

    mutating func add(_ bytes: [UInt8]) {
        var at = 0
        while at < bytes.count {
            let n = min(pageSize - filled, bytes.count - at)
            page.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.baseAddress!.advanced(by: filled).copyMemory(from: src.baseAddress!.advanced(by: at), byteCount: n)
                }
            }
            filled += n
            at += n
            if filled == pageSize { flush() }
        }
    }

    /// The digests, the partial last page zero-padded.
    mutating func finish() -> [PageDigest] {
        if filled > 0 {
            page.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: filled).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - filled) }
            flush()
        }
        return digests
    }

    private mutating func flush() {
        let hash = SHA256.hash(data: page)
        digests.append(hash.withUnsafeBytes { raw in
            PageDigest(a: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), b: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        })
        filled = 0
    }
}
