import EROFS

/// A name in one of the session's images: catalog index and entry index.
public struct Sharer: Hashable, Sendable {
    public var image: Int
    public var entry: Int
    public init(image: Int, entry: Int) { self.image = image; self.entry = entry }
}

/// Data stored once and referenced by several files: a chunk of a blob, or identical file contents.
public struct SharedGroup: Sendable {
    public enum Kind: Hashable, Sendable {
        /// The same bytes of a device referenced by several chunk-based files (blob, byte address).
        case chunk(blob: String, address: UInt64)
        /// Files with equal content fingerprints and sizes.
        case file(fingerprint: [UInt8])
    }
    public var kind: Kind
    /// Bytes shared (chunk length or file size).
    public var length: UInt64
    /// Every name referencing it, in catalog order.
    public var sharers: [Sharer]
    /// Number of distinct images among the sharers.
    public var imageCount: Int { Set(sharers.map(\.image)).count }
}

/// What is deduplicated within and across the session's images, and each file's fingerprint.
public struct SharingIndex: Sendable {
    public private(set) var groups: [SharedGroup] = []
    /// Fingerprint per image per nid (regular non-empty files that have one under the source).
    public private(set) var fingerprints: [[UInt64: [UInt8]]]
    /// Images other than its own that hold a file with the same content, per image per nid.
    public private(set) var sharedWithOtherImages: [[UInt64: Int]]
    public let fingerprintSource: FingerprintSource
    /// Regular files whose stored fingerprint xattr exists but is unusable (zeroed or empty), per image.
    public private(set) var unusableStoredFingerprints: [Int]

    /// Scans every regular file of every catalog once.
    public init(catalogs: [ImageCatalog], fingerprintSource: FingerprintSource) throws {
        self.fingerprintSource = fingerprintSource
        fingerprints = Array(repeating: [:], count: catalogs.count)
        sharedWithOtherImages = Array(repeating: [:], count: catalogs.count)
        unusableStoredFingerprints = Array(repeating: 0, count: catalogs.count)
        var chunkGroups: [SharedGroup.Kind: (length: UInt64, sharers: [Sharer])] = [:]
        var chunkOrder: [SharedGroup.Kind] = []
        var fileGroups: [[UInt8]: (length: UInt64, sharers: [Sharer])] = [:]
        var fileOrder: [[UInt8]] = []
        for (imageIndex, catalog) in catalogs.enumerated() {
            let image = catalog.image
            for entryIndex in catalog.regularFiles {
                let entry = catalog.entries[entryIndex]
                let inode = try image.inode(entry.nid)
                let sharer = Sharer(image: imageIndex, entry: entryIndex)
                if inode.layout == .chunkBased {
                    for extent in try image.extents(of: inode) {
                        guard case .device(let id, let offset) = extent.location else { continue }
                        let key = SharedGroup.Kind.chunk(blob: BlobIdentity.blobName(of: image, device: id), address: offset)
                        if chunkGroups[key] == nil { chunkOrder.append(key); chunkGroups[key] = (extent.length, []) }
                        chunkGroups[key]!.length = max(chunkGroups[key]!.length, extent.length)
                        chunkGroups[key]!.sharers.append(sharer)
                    }
                }
                if fingerprintSource == .stored, inode.size > 0, let raw = try image.fingerprint(of: inode),
                   !Fingerprints.isUsable(raw, blockSize: image.blockSize) {
                    unusableStoredFingerprints[imageIndex] += 1
                }
                guard let fp = try Fingerprints.fingerprint(image, inode, source: fingerprintSource) else { continue }
                fingerprints[imageIndex][entry.nid] = fp
                let key = fp + withUnsafeBytes(of: inode.size.littleEndian, Array.init)
                if fileGroups[key] == nil { fileOrder.append(key); fileGroups[key] = (inode.size, []) }
                fileGroups[key]!.sharers.append(sharer)
            }
        }
        for key in chunkOrder where chunkGroups[key]!.sharers.count > 1 {
            groups.append(SharedGroup(kind: key, length: chunkGroups[key]!.length, sharers: chunkGroups[key]!.sharers))
        }
        for key in fileOrder where fileGroups[key]!.sharers.count > 1 {
            let group = fileGroups[key]!
            groups.append(SharedGroup(kind: .file(fingerprint: Array(key.prefix(key.count - 8))), length: group.length, sharers: group.sharers))
            let images = Set(group.sharers.map(\.image))
            for sharer in group.sharers {
                let nid = catalogs[sharer.image].entries[sharer.entry].nid
                sharedWithOtherImages[sharer.image][nid] = images.subtracting([sharer.image]).count
            }
        }
    }

    /// An index with given fingerprints and no groups (for tests and synthetic sessions).
    init(fingerprints: [[UInt64: [UInt8]]], source: FingerprintSource = .stored) {
        self.fingerprintSource = source
        self.fingerprints = fingerprints
        sharedWithOtherImages = Array(repeating: [:], count: fingerprints.count)
        unusableStoredFingerprints = Array(repeating: 0, count: fingerprints.count)
    }

    /// Bytes a group saves if stored once: length × (sharers − 1).
    public static func savedBytes(_ group: SharedGroup) -> UInt64 {
        group.length * UInt64(max(0, group.sharers.count - 1))
    }
}
