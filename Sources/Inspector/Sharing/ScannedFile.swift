import EROFS

/// What the sharing scan learns about one regular file before any content is hashed: its inode,
/// chunk extents, stored fingerprint, and how its computed fingerprint is obtained. Files are
/// read this way in parallel; the scan then combines them in catalog order.
struct ScannedFile {
    /// How the file's fingerprint is obtained.
    enum Fingerprint {
        /// Known already (stored, or none).
        case known([UInt8]?)
        /// SHA-256 of the bytes stored at `key`: hashed once for every file with that key.
        case stored(StoredContentKey)
        /// SHA-256 of this file's own bytes (compressed, or not all stored on a device).
        case own
    }

    var sharer: Sharer
    var inode: Inode
    /// Chunk-based files only.
    var extents: [DataExtent]?
    /// The stored fingerprint xattr exists but the kernel ignores it (zeroed, empty, too long).
    var unusableStoredFingerprint = false
    var fingerprint: Fingerprint

    /// Reads `entryIndex` of `catalog` (image `imageIndex`) as the scan needs it. An error reading
    /// the fingerprint's data names the file's path.
    static func read(_ catalog: ImageCatalog, imageIndex: Int, entryIndex: Int, source: FingerprintSource,
                     contentKeys: StoredContentKeys) throws -> ScannedFile {
        let image = catalog.image
        let entry = catalog.entries[entryIndex]
        let inode = catalog.inode(at: entryIndex)
        let extents = inode.layout == .chunkBased ? try image.extents(of: inode) : nil
        var unusable = false
        if source == .stored, inode.size > 0, let raw = try image.fingerprint(of: inode),
           !Fingerprints.isUsable(raw, blockSize: image.blockSize) {
            unusable = true
        }
        let fingerprint: Fingerprint
        do {
            switch source {
            case .compute where inode.type == .regular && inode.size > 0:
                if !inode.layout.isCompressed,
                   let key = contentKeys.key(image, size: inode.size, extents: try extents ?? image.extents(of: inode)) {
                    fingerprint = .stored(key)
                } else {
                    fingerprint = .own
                }
            case .compute:
                fingerprint = .known(nil)
            case .stored:
                fingerprint = .known(try Fingerprints.fingerprint(image, inode, source: .stored))
            }
        } catch var error as EROFSError {
            // --fingerprints compute reads every file: name the one whose data is missing.
            if error.path == nil { error.path = entry.path }
            throw error
        }
        return ScannedFile(sharer: Sharer(image: imageIndex, entry: entryIndex), inode: inode, extents: extents,
                           unusableStoredFingerprint: unusable, fingerprint: fingerprint)
    }

    /// The computed fingerprint of this file's contents and the digests of its pages (read
    /// once for both), naming the file in a read error.
    func computeFingerprint(_ catalogs: [ImageCatalog], pageSize: Int) throws -> (fingerprint: [UInt8], pages: [PageDigest]) {
        let catalog = catalogs[sharer.image]
        do {
            var pages = PageDigests(pageSize: pageSize)
            let fingerprint = try Fingerprints.compute(catalog.image, inode) { pages.add($0) }
            return (fingerprint, pages.finish())
        } catch var error as EROFSError {
            if error.path == nil { error.path = catalog.entries[sharer.entry].path }
            throw error
        }
    }
}
