/// What an address space stands for, as the caller describes it.
///
/// The model never interprets the labels: they exist so statistics can be rolled up by
/// image, blob or file (see ``CacheSimulator/spaceStatistics(rolledUpBy:)``).
public struct AddressSpaceDescriptor: Hashable, Sendable {
    /// The kind of object whose mapping holds the pages.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// One file's own mapping (no sharing).
        case inode
        /// A blob's (data device's) anonymous inode, as in the 2023 share-domain design.
        case blob
        /// A shared inode keyed by a content fingerprint, as in the 7.0 `inode_share` design.
        case fingerprint
        /// Pages keyed by their content (the ideal upper bound).
        case content
        /// A directory's mapping.
        case directory
        /// Metadata: the block device, backing file or metabox/packed inode mapping.
        case metadata
    }

    /// The kind of mapping.
    public var kind: Kind
    /// The image (caller's index) the space belongs to, if any.
    public var image: Int?
    /// The blob / device (caller's index) the space belongs to, if any.
    public var blob: Int?
    /// The inode number (nid) of the file the space belongs to, if any.
    public var nid: UInt64?
    /// A free-form name: a blob tag, a fingerprint in hex, a path…
    public var name: String?

    /// Creates a descriptor; unspecified labels are nil.
    public init(kind: Kind, image: Int? = nil, blob: Int? = nil, nid: UInt64? = nil, name: String? = nil) {
        self.kind = kind
        self.image = image
        self.blob = blob
        self.nid = nid
        self.name = name
    }
}
