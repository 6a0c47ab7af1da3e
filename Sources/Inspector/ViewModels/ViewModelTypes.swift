import EROFS

/// One image of the session, for the header: size, sharing and how much of it is cached.
public struct ImageUsage: Equatable, Sendable {
    public var label: String
    public var sizeBytes: UInt64
    /// Files with the same content in another image.
    public var sharedFiles: Int
    /// Cached fraction of its data pages (0…1) under the design shown.
    public var cachedFraction: Double
}

/// The figures over the whole session under one design, for the header.
public struct SessionFigures: Equatable, Sendable {
    public var design: SharingDesign
    public var images: [ImageUsage]
    /// Bytes resident under the design.
    public var residentBytes: UInt64
    /// Capacity of the modelled cache (nil: unbounded).
    public var capacityBytes: UInt64?
    /// Bytes saved against `none` (never negative).
    public var savedBytes: UInt64
    public var hitRate: Double?
    /// Replay position.
    public var clock: Double
    public var eventsDone: Int
    public var eventsTotal: Int
    public var isFinished: Bool
}

/// One entry of a directory listing: size, sharing and cached fraction under one design.
public struct EntryUsage: Equatable, Sendable {
    /// Catalog index of the entry in its image.
    public var entry: Int
    public var name: String
    public var isDirectory: Bool
    /// A file's size, a directory's whole subtree.
    public var sizeBytes: UInt64
    /// A file: other images holding the same content; a directory: such files below it.
    public var sharedWith: Int
    public var cachedFraction: Double
}

/// One blob (an image's extra device, or an image's primary device) and its cache.
public struct BlobUsage: Equatable, Sendable {
    /// The blob's identity (see `BlobIdentity.blobName`), as the report's per-blob figures key it.
    public var name: String
    /// The device number in the first image that has it (0: the primary device).
    public var device: Int
    /// The device's tag, or the image's label for a primary device.
    public var tag: String
    /// Images that use it.
    public var images: [Int]
    /// Containers whose layers include one of those images.
    public var containers: Int
    public var sizeBytes: UInt64
    /// Bytes of its data cached under the design, each cached page once however many images
    /// or containers see it.
    public var cachedBytes: UInt64
}

/// Data stored once and used by several files (identical files, or a chunk of a blob).
public struct SharedGroupUsage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case file, chunk }
    public struct Member: Equatable, Sendable {
        public var image: Int
        /// Catalog index of the file in its image.
        public var entry: Int
        public var path: String
    }
    public var kind: Kind
    public var sizeBytes: UInt64
    public var members: [Member]
    /// Cached fraction of the members' pages together (0…1) under the design.
    public var cachedFraction: Double
}

/// One file in detail: its extents and the state of each page under one design.
public struct FileDetail: Equatable, Sendable {
    public struct Extent: Equatable, Sendable {
        public enum Kind: Equatable, Sendable { case plain, chunk, inline, compressed, hole }
        public var logicalOffset: UInt64
        public var length: UInt64
        public var device: Int
        /// The device's tag (or the image's label); for compressed extents, the algorithm.
        public var deviceTag: String
        public var physicalAddress: UInt64
        public var kind: Kind
    }
    public struct Page: Equatable, Sendable {
        /// The container charged for it, nil when not cached.
        public var cachedBy: Int?
        public var isShared: Bool
        /// Other files ("image:/path") whose pages are this very cached page under the design.
        public var sharedWith: [String]
    }
    public var path: String
    public var sizeBytes: UInt64
    public var layout: String
    /// At most the first 4096 extents.
    public var extents: [Extent]
    /// The pages as the file's first container sees them.
    public var pages: [Page]
    /// Per container: that container's view of the file's pages (cached by whom, shared).
    public var containerPages: [[Page]]
}

/// The hit rate of one container under one design over time.
public struct HitRateSeries: Equatable, Sendable {
    public var container: Int
    public var design: SharingDesign
    /// One value per sample interval (nil: no access in it).
    public var samples: [Double?]
    /// Over the whole replay so far.
    public var overall: Double?
}

/// One design against the others: what each container added, what it saved, its hit rate.
public struct DesignComparison: Equatable, Sendable {
    public var design: SharingDesign
    public var addedBytes: [UInt64]
    /// Against `none` (negative when it uses more).
    public var savedBytes: Int64
    public var hitRate: Double?
}

/// The replay's time axis: where it is and where things start.
public struct TimelineFigures: Equatable, Sendable {
    public struct Marker: Equatable, Sendable {
        public enum Kind: Equatable, Sendable { case containerStart, traceSource }
        public var time: Double
        /// Index of the first event at or after the marker.
        public var event: Int
        public var label: String
        public var kind: Kind
    }
    /// Time of the last event.
    public var duration: Double
    /// Time of the last event applied.
    public var clock: Double
    public var eventsDone: Int
    public var eventsTotal: Int
    public var markers: [Marker]
}
