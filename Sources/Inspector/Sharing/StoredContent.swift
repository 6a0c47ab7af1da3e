import Foundation
import EROFS

/// A file's bytes named by where they are stored: the device file, byte offset and length of
/// each of its extents, in order. Two files with equal keys hold equal bytes (the same bytes of
/// the same files), so work that depends only on contents, like hashing, is done once per key:
/// the base layer's files of three merged images are hashed once, not three times.
struct StoredContentKey: Hashable {
    /// (device file number, byte offset, length) per extent.
    var ranges: [UInt64]
}

/// Makes ``StoredContentKey``s, numbering device files by their resolved paths.
final class StoredContentKeys: @unchecked Sendable {
    private var numbers: [String: UInt64] = [:]
    private let lock = NSLock()

    /// The key of a file of `size` bytes with `extents`; nil unless every byte is stored
    /// uncompressed on a device (holes, inline tails and compressed data have no key).
    func key(_ image: Image, size: UInt64, extents: [DataExtent]) -> StoredContentKey? {
        var ranges: [UInt64] = []
        ranges.reserveCapacity(extents.count * 3)
        var covered: UInt64 = 0
        for extent in extents {
            guard case .device(let id, let offset) = extent.location, extent.logicalOffset == covered,
                  id >= 0, id < image.devices.count else { return nil }
            let device = image.devices[id]
            // An unreadable device's bytes are unknown: name it by image and slot, never by the
            // primary file its placeholder source points at.
            ranges.append(number(device.unavailable == nil ? device.path : "\u{0}unavailable:\(image.path)#\(id)"))
            ranges.append(offset)
            ranges.append(extent.length)
            covered = extent.logicalEnd
        }
        return covered == size && size > 0 ? StoredContentKey(ranges: ranges) : nil
    }

    private func number(_ path: String) -> UInt64 {
        lock.withLock {
            if let n = numbers[path] { return n }
            let n = UInt64(numbers.count)
            numbers[path] = n
            return n
        }
    }
}
