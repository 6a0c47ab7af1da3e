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
    /// Page size of ``pageDigests(ofContent:)``.
    static let digestPageSize = 4096
    /// Each distinct content (fingerprint and size) the scan saw, numbered in order of first sight.
    private var contentIndex: [FileKey: Int] = [:]
    /// By content number: the digests of its 4 KiB pages if the scan hashed it (computed
    /// fingerprints: the bytes are read once for both), so the `chunk` design need not read
    /// them again.
    private var pageDigestsOfContent: [[PageDigest]?] = []

    /// Scans every regular file of every catalog once.
    public init(catalogs: [ImageCatalog], fingerprintSource: FingerprintSource) throws {
        self.fingerprintSource = fingerprintSource
        fingerprints = Array(repeating: [:], count: catalogs.count)
        sharedWithOtherImages = Array(repeating: [:], count: catalogs.count)
        unusableStoredFingerprints = Array(repeating: 0, count: catalogs.count)
        // Groups under construction, in order of first sight, found by cheap-to-hash keys.
        var chunkIndex: [ChunkKey: Int] = [:]
        var chunkGroups: [SharedGroup] = []
        var fileGroups: [SharedGroup] = []
        var blobIndex: [String: Int] = [:]
        var blobNames: [String] = []
        // Each file is read in parallel, then its contents hashed in parallel, once per place
        // the bytes are stored (a blob shared by several images is hashed once); the results
        // are combined below in catalog order, so the index does not depend on scheduling.
        let contentKeys = StoredContentKeys()
        // A one-shot scan before anything replays, as the catalog walk: chunk indexes and
        // xattrs come from cached 4 KiB pieces of metadata (one pread per piece, not per file).
        let cachedBefore = catalogs.map(\.image.cachesMetadata)
        for catalog in catalogs { catalog.image.cachesMetadata = true }
        defer { for (catalog, before) in zip(catalogs, cachedBefore) { catalog.image.cachesMetadata = before } }
        let work = catalogs.enumerated().flatMap { imageIndex, catalog in catalog.regularFiles.map { (imageIndex, $0) } }
        // Sized once for every file (the tables never grow by rehashing).
        chunkIndex.reserveCapacity(work.count)
        contentIndex.reserveCapacity(work.count)
        fileGroups.reserveCapacity(work.count)
        pageDigestsOfContent.reserveCapacity(work.count)
        for (i, catalog) in catalogs.enumerated() { fingerprints[i].reserveCapacity(catalog.entries.count) }
        let scanned = OrderedConcurrentMap.map(count: work.count) { i in
            Result { try ScannedFile.read(catalogs[work[i].0], imageIndex: work[i].0, entryIndex: work[i].1,
                                          source: fingerprintSource, contentKeys: contentKeys) }
        }
        // One hashing job per distinct stored content (and per file hashed on its own), up to
        // the first file that could not be read: the scan stops there, as it would in order.
        var jobs: [Int] = []
        var jobOfKey: [StoredContentKey: Int] = [:]
        var jobOfFile = [Int](repeating: -1, count: scanned.count)
        for (i, result) in scanned.enumerated() {
            guard case .success(let file) = result else { break }
            switch file.fingerprint {
            case .known: continue
            case .own: break
            case .stored(let key):
                if let job = jobOfKey[key] { jobOfFile[i] = job; continue }
                jobOfKey[key] = jobs.count
            }
            jobOfFile[i] = jobs.count
            jobs.append(i)
        }
        let hashed = OrderedConcurrentMap.map(count: jobs.count, batch: 16) { job in
            Result { () throws -> (fingerprint: [UInt8], pages: [PageDigest]) in
                guard case .success(let file) = scanned[jobs[job]] else { preconditionFailure("jobs are made for files read") }
                return try file.computeFingerprint(catalogs, pageSize: Self.digestPageSize)
            }
        }
        // Blobs numbered in order of first sight: image by image, device by device.
        let deviceBlobs = catalogs.map { catalog in
            catalog.image.devices.indices.map { id -> Int in
                let name = BlobIdentity.blobName(of: catalog.image, device: id)
                if let i = blobIndex[name] { return i }
                blobIndex[name] = blobNames.count
                blobNames.append(name)
                return blobNames.count - 1
            }
        }
        for (i, result) in scanned.enumerated() {
            let file = try result.get()
            let sharer = file.sharer, inode = file.inode, imageIndex = sharer.image
            for extent in file.extents ?? [] {
                guard case .device(let id, let offset) = extent.location else { continue }
                let key = ChunkKey(blob: deviceBlobs[imageIndex][id], address: offset)
                let g = chunkIndex[key] ?? {
                    chunkIndex[key] = chunkGroups.count
                    chunkGroups.append(SharedGroup(kind: .chunk(blob: blobNames[key.blob], address: offset), length: extent.length, sharers: []))
                    return chunkGroups.count - 1
                }()
                chunkGroups[g].length = max(chunkGroups[g].length, extent.length)
                chunkGroups[g].sharers.append(sharer)
            }
            if file.unusableStoredFingerprint { unusableStoredFingerprints[imageIndex] += 1 }
            let value: [UInt8]?
            var pages: [PageDigest]?
            if case .known(let known) = file.fingerprint {
                value = known
            } else {
                (value, pages) = try hashed[jobOfFile[i]].get()
            }
            guard let fp = value else { continue }
            fingerprints[imageIndex][catalogs[imageIndex].entries[sharer.entry].nid] = fp
            let key = FileKey(fingerprint: fp, size: inode.size)
            let g: Int
            if let known = contentIndex[key] {
                g = known
            } else {
                g = fileGroups.count
                contentIndex[key] = g
                fileGroups.append(SharedGroup(kind: .file(fingerprint: fp), length: inode.size, sharers: []))
                pageDigestsOfContent.append(nil)
            }
            if let pages, pageDigestsOfContent[g] == nil { pageDigestsOfContent[g] = pages }
            fileGroups[g].sharers.append(sharer)
        }
        groups = chunkGroups.filter { $0.sharers.count > 1 }
        for group in fileGroups where group.sharers.count > 1 {
            groups.append(group)
            // Every sharer's own image is among them: the others are one fewer.
            let others = Set(group.sharers.map(\.image)).count - 1
            for sharer in group.sharers {
                let nid = catalogs[sharer.image].entries[sharer.entry].nid
                sharedWithOtherImages[sharer.image][nid] = others
            }
        }
    }

    /// The number of the content with fingerprint `fingerprint` and `size` bytes (dense, in
    /// order of first sight), if the scan saw it: a cheap key for tables per content.
    func contentNumber(fingerprint: [UInt8], size: UInt64) -> Int? {
        contentIndex[FileKey(fingerprint: fingerprint, size: size)]
    }

    /// The page digests of content `number` (``contentNumber(fingerprint:size:)``), if the scan
    /// hashed it.
    func pageDigests(ofContent number: Int) -> [PageDigest]? { pageDigestsOfContent[number] }

    /// A chunk of a blob: the blob's number in this scan and the byte address.
    private struct ChunkKey: Hashable { var blob: Int; var address: UInt64 }

    /// A file content: fingerprint and size, hashed as bytes rather than element by element.
    private struct FileKey: Hashable {
        var fingerprint: [UInt8]
        var size: UInt64
        func hash(into hasher: inout Hasher) {
            fingerprint.withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(size)
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
