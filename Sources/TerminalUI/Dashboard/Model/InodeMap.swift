/// Where a regular file's data lives and which of its pages are cached.
public struct InodeMap: Hashable, Sendable {
    public var path: String
    public var sizeBytes: Int64
    /// How the data is laid out, e.g. "chunked, 64 KiB chunks" or "flat inline".
    public var layout: String
    public var extents: [Extent]
    /// One entry per 4 KiB page of the file, in order.
    public var pages: [Page]
    /// Per container (in `header.containers` order), that container's view of
    /// the file's pages under the active design: which pages it finds resident.
    /// Empty when the source does not tell (the panel then shows `pages` only).
    public var containerPages: [[Page]]

    public init(path: String, sizeBytes: Int64, layout: String, extents: [Extent], pages: [Page],
                containerPages: [[Page]] = []) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.layout = layout
        self.extents = extents
        self.pages = pages
        self.containerPages = containerPages
    }

    /// A run of the file mapped to one place on one device.
    public struct Extent: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            /// Uncompressed blocks (flat or chunk-indexed).
            case plain
            /// A chunk of a chunk-indexed file.
            case chunk
            /// Compressed data (a physical cluster).
            case compressed
            /// Data stored inline with the inode.
            case inline
            /// A hole: no data, reads as zeros.
            case hole
        }

        /// Offset in the file.
        public var logicalOffset: Int64
        public var length: Int64
        /// Device index (0: the image itself).
        public var device: Int
        public var deviceTag: String
        /// Physical byte address on the device.
        public var physicalAddress: Int64
        public var kind: Kind

        public init(logicalOffset: Int64, length: Int64, device: Int, deviceTag: String,
                    physicalAddress: Int64, kind: Kind) {
            self.logicalOffset = logicalOffset
            self.length = length
            self.device = device
            self.deviceTag = deviceTag
            self.physicalAddress = physicalAddress
            self.kind = kind
        }
    }

    /// One page of the file.
    public struct Page: Hashable, Sendable {
        /// Which container brought the page in, or nil when not resident.
        public var cachedBy: Int?
        /// The resident page is shared with another file or image.
        public var shared: Bool
        /// The other files whose cache holds this same page, as "image:/path"
        /// (image label, then the path in that image). Empty when not shared
        /// or when the source does not tell.
        public var sharedWith: [String]

        public init(cachedBy: Int? = nil, shared: Bool = false, sharedWith: [String] = []) {
            self.cachedBy = cachedBy
            self.shared = shared
            self.sharedWith = sharedWith
        }

        public static let absent = Page()
    }
}
