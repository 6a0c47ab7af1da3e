import EROFS

/// Where the 2023 share-domain design would cache a file: in its blob's address space.
public struct BlobPlacement: Hashable, Sendable {
    /// The blob cookie's name: the device tag, or a stand-in for untagged devices.
    public var blob: String
    /// Byte address of the file's only chunk inside the blob (page aligned).
    public var address: UInt64
}

/// The sharing rules of the 2023 fscache share-domain RFC (`erofs_can_share_page_cache()`).
public enum BlobIdentity {
    /// The cookie name a device gets: its tag; the image itself for the primary device (its
    /// fsid, unique per image); the resolved file for an extra device without a tag.
    public static func blobName(of image: Image, device id: Int) -> String {
        guard id > 0, id < image.devices.count, let slot = image.devices[id].slot else {
            return "fsid:" + image.path
        }
        return slot.tag.isEmpty ? "file:" + image.devices[id].path : slot.tag
    }

    /// The blob placement of `inode`, or nil when the design keeps it per inode: not a regular
    /// file, not chunk-based, more than one chunk, a hole, or a block size that is not a
    /// multiple of the 4 KiB page.
    public static func placement(_ image: Image, _ inode: Inode, pageSize: Int = 4096) throws -> BlobPlacement? {
        guard isEligible(image, inode, pageSize: pageSize) else { return nil }
        return placement(image, firstExtent: try image.extent(of: inode, at: 0))
    }

    /// Whether the design would cache `inode` in a blob, given where its data is: a regular,
    /// non-empty, chunk-based file of one chunk, on an image whose blocks are whole pages.
    public static func isEligible(_ image: Image, _ inode: Inode, pageSize: Int = 4096) -> Bool {
        inode.type == .regular && inode.layout == .chunkBased && inode.size > 0 &&
            image.blockSize % pageSize == 0 && inode.size <= UInt64(1) << image.chunkBits(of: inode)
    }

    /// The placement of an eligible file from the extent holding its byte 0 (nil for a hole).
    static func placement(_ image: Image, firstExtent: DataExtent) -> BlobPlacement? {
        guard case .device(let id, let offset) = firstExtent.location else { return nil }
        return BlobPlacement(blob: blobName(of: image, device: id), address: offset)
    }
}
