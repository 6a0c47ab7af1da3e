/// Tunables of the page-cache model, with the kernel's defaults (erofs-format.md §9).
public struct CacheConfiguration: Hashable, Sendable {
    /// The page size in bytes (PAGE_SIZE). Default 4096.
    public var pageSize: Int = 4096
    /// The bdi `read_ahead_kb`, copied into each open file as `ra_pages`. Default 128;
    /// loop devices may have far more (2560 was observed), so read the real device's value.
    public var readaheadKB: Int = 128
    /// The bdi `io_pages` in KiB: oversized reads may grow the window up to it
    /// (`ractl_max_pages`). nil means "same as `readaheadKB`", i.e. no growth, which is what a
    /// fresh bdi has (file-backed EROFS mounts); block devices use `max_sectors_kb`.
    public var maxIOKB: Int? = nil
    /// `fault_around_bytes` in KiB: cached pages in this aligned window are mapped on a fault.
    /// Default 64. A value of one page or less disables fault-around.
    public var faultAroundKB: Int = 64
    /// The `ra_pages` used by mmap read-around (do_sync_mmap_readahead) in KiB.
    /// nil means the file's `ra_pages` (the kernel's behaviour).
    public var mmapReadAroundKB: Int? = nil
    /// The cache capacity in pages; nil means unbounded. When full, the least recently used
    /// page is evicted.
    public var capacityPages: Int? = nil
    /// The interval, in replay seconds, between time-series samples; 0 disables sampling.
    public var sampleInterval: Double = 1.0

    /// Creates a configuration with the kernel's defaults, overriding what is given.
    public init(pageSize: Int = 4096, readaheadKB: Int = 128, maxIOKB: Int? = nil, faultAroundKB: Int = 64,
                mmapReadAroundKB: Int? = nil, capacityPages: Int? = nil, sampleInterval: Double = 1.0) {
        precondition(pageSize > 0 && pageSize & (pageSize - 1) == 0, "page size must be a power of two")
        self.pageSize = pageSize
        self.readaheadKB = readaheadKB
        self.maxIOKB = maxIOKB
        self.faultAroundKB = faultAroundKB
        self.mmapReadAroundKB = mmapReadAroundKB
        self.capacityPages = capacityPages
        self.sampleInterval = sampleInterval
    }

    /// `ra_pages`: the readahead window limit in pages.
    public var readaheadPages: UInt64 { UInt64(readaheadKB * 1024 / pageSize) }
    /// `io_pages` in pages.
    public var ioPages: UInt64 { UInt64((maxIOKB ?? readaheadKB) * 1024 / pageSize) }
    /// The fault-around window in pages.
    public var faultAroundPages: UInt64 { UInt64(faultAroundKB * 1024 / pageSize) }
    /// The mmap read-around `ra_pages`, or nil to use the file's.
    public var mmapReadAroundPages: UInt64? { mmapReadAroundKB.map { UInt64($0 * 1024 / pageSize) } }
}
