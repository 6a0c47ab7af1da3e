/// A chunk or a whole file whose content is stored once but referenced more
/// than once, within one image or across images.
public struct SharedRow: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A chunk of a chunk-indexed file (same device and block).
        case chunk
        /// A whole file with identical content.
        case file
    }

    public var kind: Kind
    public var sizeBytes: Int64
    /// Who references it; each is a jump target for the Files panel.
    public var sharers: [SharedFileRef]
    /// Fraction of it resident in the page cache (0...1).
    public var cachedFraction: Double

    public init(kind: Kind, sizeBytes: Int64, sharers: [SharedFileRef], cachedFraction: Double = 0) {
        self.kind = kind
        self.sizeBytes = sizeBytes
        self.sharers = sharers
        self.cachedFraction = cachedFraction
    }
}

/// A file referencing shared content.
public struct SharedFileRef: Hashable, Sendable {
    /// Index into `DashboardHeader.images`.
    public var image: Int
    /// The file's path in that image, e.g. "/usr/lib/libc.so.6".
    public var path: String
    public var file: EntryID

    public init(image: Int, path: String, file: EntryID) {
        self.image = image
        self.path = path
        self.file = file
    }
}
