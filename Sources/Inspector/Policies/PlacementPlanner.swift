import Foundation
import EROFS

/// The address space a file's pages live in under one design.
public enum SpaceIdentity: Hashable, Sendable {
    /// The file's own page cache in one image (directories always use this).
    case inode(image: Int, nid: UInt64)
    /// A blob's address space (blob share domain).
    case blob(String)
    /// A shared fingerprint inode: fingerprint value, size, and whether its data is compressed
    /// (the kernel only shares inodes with the same address-space operations).
    case fingerprint([UInt8], size: UInt64, compressed: Bool)
    /// One page of content (ideal dedup); the page index is always 0.
    case content(UInt64)
}

/// Where the pages of one file go under one design.
public enum FilePlacement: Sendable, Equatable {
    /// Page `p` of the file is page `firstPage + p` of `space`.
    case linear(SpaceIdentity, firstPage: UInt64)
    /// Page `p` of the file is the single page of `.content(ids[p])`.
    case perPage([UInt64])

    /// The space and page index holding page `page` of the file.
    public func location(ofPage page: UInt64) -> (SpaceIdentity, UInt64) {
        switch self {
        case .linear(let space, let first): return (space, first + page)
        case .perPage(let ids):
            // Pages past EOF (readahead never goes there, faults may ask) stay per content 0-page.
            return page < ids.count ? (.content(ids[Int(page)]), 0) : (.content(UInt64.max), 0)
        }
    }
}

/// Computes file placements for each design over the session's images.
public final class PlacementPlanner: @unchecked Sendable {
    public let catalogs: [ImageCatalog]
    public let sharing: SharingIndex
    public let contentPages: ContentPages
    public let pageSize: Int
    /// Share domain per image ("" when not given).
    public let domains: [String]
    private let contentKeys = StoredContentKeys()
    private var pageIDsByContent: [StoredContentKey: [UInt64]] = [:]
    private var pageIDsByFingerprint: [FingerprintKey: [UInt64]] = [:]
    /// The same for contents the sharing scan numbered (found by number, not by fingerprint).
    private var pageIDsByContentNumber: [Int: [UInt64]] = [:]
    private let lock = NSLock()
    private var contentUnknownFiles = 0
    /// Files the `chunk` design could not deduplicate because their data is on a missing or
    /// mismatched device (they keep their own pages).
    public var filesWithUnavailableData: Int { lock.withLock { contentUnknownFiles } }

    public init(catalogs: [ImageCatalog], sharing: SharingIndex, pageSize: Int = 4096, domains: [Int: String] = [:]) {
        self.catalogs = catalogs
        self.domains = catalogs.indices.map { domains[$0] ?? "" }
        self.sharing = sharing
        self.contentPages = ContentPages(pageSize: pageSize)
        self.pageSize = pageSize
    }

    /// The placement of `file` under `design`. Directories, symlinks and special files always
    /// stay in their own inode's space; a file that cannot be read falls back to that too.
    public func placement(of file: SessionFile, under design: SharingDesign) throws -> FilePlacement {
        let inode = try catalogs[file.image].inode(file.nid)
        return try placements(of: file, inode: inode, under: [design]).placements[0]
    }

    /// The placements of `file` (whose inode is `inode`) under each of `designs`, reading what
    /// they need from the image once. Also returns the extent holding byte 0 when it was read.
    func placements(of file: SessionFile, inode: Inode, under designs: [SharingDesign]) throws
        -> (placements: [FilePlacement], firstExtent: DataExtent?) {
        let own = FilePlacement.linear(.inode(image: file.image, nid: file.nid), firstPage: 0)
        guard inode.type == .regular, inode.size > 0 else { return (designs.map { _ in own }, nil) }
        let image = catalogs[file.image].image
        var first: DataExtent?
        func firstExtent() throws -> DataExtent {
            if let first { return first }
            let extent = try image.extent(of: inode, at: 0)
            first = extent
            return extent
        }
        let placements = try designs.map { design -> FilePlacement in
            switch design {
            case .none, .flat:
                // flat: the same per-inode placement, made private per container by its resolver.
                return own
            case .blob:
                guard BlobIdentity.isEligible(image, inode, pageSize: pageSize),
                      let p = BlobIdentity.placement(image, firstExtent: try firstExtent()) else { return own }
                return .linear(.blob(domains[file.image] + "/" + p.blob), firstPage: p.address / UInt64(pageSize))
            case .inode:
                guard let fp = sharing.fingerprints[file.image][file.nid] else { return own }
                // The kernel keys shared inodes by fingerprint ‖ domain_id.
                return .linear(.fingerprint(fp + Array(domains[file.image].utf8), size: inode.size, compressed: inode.layout.isCompressed), firstPage: 0)
            case .chunk:
                do {
                    return .perPage(try pageIDs(file, image, inode, firstExtent: inode.layout.isCompressed ? nil : try? firstExtent()))
                } catch let error as EROFSError where error.kind == .blobMissing || error.kind == .blobMismatch {
                    // Metadata-only image: contents unknown, so the file keeps its own pages.
                    lock.withLock { contentUnknownFiles += 1 }
                    return own
                }
            }
        }
        return (placements, first)
    }

    /// Content ids of a file's pages, computed once per content: per stored content (see
    /// ``StoredContentKey``), and per fingerprint and size, so files the sharing scan found
    /// identical (in other blobs, or compressed) are hashed page by page only once; not at all
    /// when the scan computed fingerprints (it hashed the pages as it read them).
    private func pageIDs(_ file: SessionFile, _ image: Image, _ inode: Inode, firstExtent: DataExtent?) throws -> [UInt64] {
        // Only where the image's data can be read: a file of a missing blob stays unknown.
        let fingerprint = sharing.fingerprints[file.image][file.nid].flatMap { fp in
            image.devices.allSatisfy { $0.unavailable == nil } ? FingerprintKey(fingerprint: fp, size: inode.size) : nil
        }
        // Every fingerprint of the scan has a content number (not those of a synthetic index).
        let number = fingerprint.flatMap { sharing.contentNumber(fingerprint: $0.fingerprint, size: $0.size) }
        if let number {
            if let ids = lock.withLock({ pageIDsByContentNumber[number] }) { return ids }
        } else if let fingerprint, let ids = lock.withLock({ pageIDsByFingerprint[fingerprint] }) {
            return ids
        }
        // The sharing scan read and hashed the pages of the contents it fingerprinted.
        let scanned = number.flatMap { pageSize == SharingIndex.digestPageSize ? sharing.pageDigests(ofContent: $0) : nil }
        let ids = try scanned.map(contentPages.ids(of:)) ?? storedPageIDs(image, inode, firstExtent: firstExtent)
        if let number {
            lock.withLock { pageIDsByContentNumber[number] = ids }
        } else if let fingerprint {
            lock.withLock { pageIDsByFingerprint[fingerprint] = ids }
        }
        return ids
    }

    private func storedPageIDs(_ image: Image, _ inode: Inode, firstExtent: DataExtent?) throws -> [UInt64] {
        guard let firstExtent else { return try contentPages.pageIDs(image, inode) }
        let extents = firstExtent.length >= inode.size ? [firstExtent] : try image.extents(of: inode)
        guard let key = contentKeys.key(image, size: inode.size, extents: extents) else { return try contentPages.pageIDs(image, inode) }
        if let ids = lock.withLock({ pageIDsByContent[key] }) { return ids }
        let ids = try contentPages.pageIDs(image, inode)
        lock.withLock { pageIDsByContent[key] = ids }
        return ids
    }

    /// A file content named by its fingerprint (SHA-256 of the bytes) and size.
    private struct FingerprintKey: Hashable {
        var fingerprint: [UInt8]
        var size: UInt64
    }
}
