/// One device of one or more images: the primary image file or an extra blob.
public struct BlobRow: Hashable, Sendable {
    /// Device index within the (first) image that references it; 0 is the
    /// primary device.
    public var device: Int
    /// The device tag (digest or file name) as stored in the image.
    public var tag: String
    /// Indices of the images referencing it.
    public var images: [Int]
    public var sizeBytes: Int64
    /// Bytes of it resident in the page cache.
    public var cachedBytes: Int64
    /// How many containers read through it.
    public var containers: Int
    /// How many separate page caches `cachedBytes` adds up (1 in the model; live, a blob that
    /// two images loop-mount has a cache through each mount, and the kernel keeps both).
    public var separateCaches = 1

    public init(device: Int, tag: String, images: [Int], sizeBytes: Int64, cachedBytes: Int64 = 0, containers: Int = 0) {
        self.device = device
        self.tag = tag
        self.images = images
        self.sizeBytes = sizeBytes
        self.cachedBytes = cachedBytes
        self.containers = containers
    }
}
