import Foundation

/// A small direct-mapped cache of 4 KiB pieces of the primary device, for metadata reads
/// (inodes, xattrs, inline data): a tree walk reads thousands of neighbouring 32-byte inodes,
/// and one `pread` per piece instead of one per inode is most of a metadata walk's cost.
///
/// Pieces are aligned to 4 KiB of the device and cut at its end. Off unless the image's owner
/// turns it on (`Image.cachesMetadata`: one-shot walks such as ls and extract): a replay must
/// see a change on disk at its next read, and cached pieces would hide it. Guarded by a lock,
/// so the owning `Image` stays safe to use from several threads.
final class MetadataBlockCache: @unchecked Sendable {
    static let pieceBits = 12
    static let pieceSize = 1 << pieceBits
    static let slotCount = 64

    private let lock = NSLock()
    /// Whether reads go through the cache (set before the image is shared between threads).
    var enabled = false
    /// Per slot: its piece index + 1 (0: empty), its valid length, and (allocated on first
    /// use) its bytes. Raw memory, so a read makes no array accesses or exclusivity checks
    /// (`storage` is only touched under the lock).
    private let tags: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var storage: UnsafeMutableRawPointer?

    init() {
        tags = .allocate(capacity: Self.slotCount)
        tags.initialize(repeating: 0, count: Self.slotCount)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: 0, count: Self.slotCount)
    }

    deinit {
        storage?.deallocate()
        tags.deallocate()
        lengths.deallocate()
    }

    /// Copies `buffer.count` bytes at `offset` from cached pieces, filling a missing piece with
    /// `fill(pieceStart, pieceBuffer)`. `limit` is the device size: pieces end there.
    /// Returns false (and copies nothing) when the range is not wholly below `limit` or
    /// `cacheable(pieceStart, pieceEnd)` refuses a piece; the caller then reads directly.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer, limit: UInt64,
              cacheable: (UInt64, UInt64) -> Bool,
              fill: (UInt64, UnsafeMutableRawBufferPointer) throws -> Void) throws -> Bool {
        let count = buffer.count
        guard count > 0 else { return true }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow, end <= limit else { return false }
        let size = UInt64(Self.pieceSize)
        let firstPiece = offset >> UInt64(Self.pieceBits)
        let lastPiece = (end - 1) >> UInt64(Self.pieceBits)
        for piece in firstPiece...lastPiece {
            let start = piece * size
            guard cacheable(start, min(start + size, limit)) else { return false }
        }
        lock.lock()
        defer { lock.unlock() }
        let pieces: UnsafeMutableRawPointer
        if let allocated = storage {
            pieces = allocated
        } else {
            pieces = UnsafeMutableRawPointer.allocate(byteCount: Self.slotCount * Self.pieceSize, alignment: 64)
            storage = pieces
        }
        var done = 0
        for piece in firstPiece...lastPiece {
            let slot = Int(piece % UInt64(Self.slotCount))
            let base = pieces + slot * Self.pieceSize
            let start = piece * size
            if tags[slot] != piece + 1 {
                let length = Int(min(size, limit - start))
                tags[slot] = 0
                try fill(start, UnsafeMutableRawBufferPointer(start: base, count: length))
                tags[slot] = piece + 1
                lengths[slot] = length
            }
            let from = Int((offset + UInt64(done)) - start)
            let take = min(count - done, lengths[slot] - from)
            guard take > 0 else { return false }
            (buffer.baseAddress! + done).copyMemory(from: base + from, byteCount: take)
            done += take
        }
        return done == count
    }
}
