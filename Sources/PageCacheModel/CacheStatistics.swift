/// Page counts split by ``PageCategory``.
public struct CategoryCounts: Hashable, Sendable {
    /// Regular file data pages.
    public var data = 0
    /// Directory pages.
    public var directory = 0
    /// Metadata pages.
    public var metadata = 0

    /// Zero counts.
    public init(data: Int = 0, directory: Int = 0, metadata: Int = 0) {
        self.data = data
        self.directory = directory
        self.metadata = metadata
    }

    /// The count of one category.
    @inline(__always)
    public subscript(category: PageCategory) -> Int {
        get {
            switch category {
            case .data: return data
            case .directory: return directory
            case .metadata: return metadata
            }
        }
        set {
            switch category {
            case .data: data = newValue
            case .directory: directory = newValue
            case .metadata: metadata = newValue
            }
        }
    }

    /// All categories together.
    public var total: Int { data + directory + metadata }

    /// Directory and metadata together (what the kernel does not share).
    public var nonData: Int { directory + metadata }

    static func + (a: CategoryCounts, b: CategoryCounts) -> CategoryCounts {
        CategoryCounts(data: a.data + b.data, directory: a.directory + b.directory, metadata: a.metadata + b.metadata)
    }
}

/// One container's account, as a memory cgroup would see it.
public struct ContainerStatistics: Hashable, Sendable {
    /// The container.
    public var id: ContainerID
    /// The name it was registered with.
    public var name: String
    /// The page size, for the byte figures.
    public var pageSize: Int
    /// Pages this container's accesses added (first touch), cumulative.
    public var addedPages = CategoryCounts()
    /// Pages charged to it that are still resident.
    public var chargedPages = CategoryCounts()
    /// Page accesses that found the page resident.
    public var hits = CategoryCounts()
    /// Page accesses that did not (the page was added by the access or its readahead).
    public var misses = CategoryCounts()
    /// Pages charged to it that capacity pressure evicted.
    public var evictedPages = 0

    /// Bytes added, cumulative (the seed table's figure).
    public var addedBytes: UInt64 { UInt64(addedPages.total) * UInt64(pageSize) }
    /// Bytes charged and still resident.
    public var chargedBytes: UInt64 { UInt64(chargedPages.total) * UInt64(pageSize) }
    /// hits / (hits + misses), or nil without accesses.
    public var hitRate: Double? {
        let all = hits.total + misses.total
        return all == 0 ? nil : Double(hits.total) / Double(all)
    }
}

/// Counters of one address space, or of a roll-up of several.
public struct SpaceStatistics: Hashable, Sendable {
    /// Pages resident now.
    public var residentPages = 0
    /// Pages added, cumulative.
    public var addedPages = 0
    /// Page accesses that hit.
    public var hits = 0
    /// Page accesses that missed.
    public var misses = 0
    /// Spaces in the roll-up.
    public var spaces = 0
    /// Of those, spaces used by two or more files or containers.
    public var sharedSpaces = 0

    /// Zero counters.
    public init() {}

    mutating func add(_ other: SpaceStatistics) {
        residentPages += other.residentPages
        addedPages += other.addedPages
        hits += other.hits
        misses += other.misses
        spaces += other.spaces
        sharedSpaces += other.sharedSpaces
    }
}

/// Counters of one registered file (pages reached through it, whatever space they live in).
public struct FileStatistics: Hashable, Sendable {
    /// Pages added by accesses through this file.
    public var addedPages = 0
    /// Page accesses through this file that hit.
    public var hits = 0
    /// Page accesses through this file that missed.
    public var misses = 0
}

/// Whole-cache figures.
public struct CacheTotals: Hashable, Sendable {
    /// The page size.
    public var pageSize: Int
    /// Pages resident now.
    public var residentPages = CategoryCounts()
    /// Pages added, cumulative.
    public var addedPages = CategoryCounts()
    /// Page accesses that hit.
    public var hits = CategoryCounts()
    /// Page accesses that missed.
    public var misses = CategoryCounts()
    /// Pages evicted by capacity pressure.
    public var evictedPages = 0

    /// Bytes added, cumulative.
    public var addedBytes: UInt64 { UInt64(addedPages.total) * UInt64(pageSize) }
    /// Bytes resident now.
    public var residentBytes: UInt64 { UInt64(residentPages.total) * UInt64(pageSize) }
    /// hits / (hits + misses), or nil without accesses.
    public var hitRate: Double? {
        let all = hits.total + misses.total
        return all == 0 ? nil : Double(hits.total) / Double(all)
    }
}

/// One point of the time series, taken at an interval boundary of replay time.
public struct TimeSample: Hashable, Sendable {
    /// Replay time in seconds.
    public var time: Double
    /// The page size, for the byte figures.
    public var pageSize: Int
    /// Resident pages charged to each container (indexed by `ContainerID.rawValue`).
    public var chargedPages: [Int]
    /// Cumulative hits per container.
    public var hits: [Int]
    /// Cumulative misses per container.
    public var misses: [Int]
    /// All resident pages.
    public var residentPages: Int

    /// Resident bytes charged to `container` at this sample.
    public func chargedBytes(of container: ContainerID) -> UInt64 {
        let c = Int(container.rawValue)
        return c < chargedPages.count ? UInt64(chargedPages[c]) * UInt64(pageSize) : 0
    }

    /// The hit rate of `container` between `previous` and this sample, or nil without accesses.
    public func hitRate(of container: ContainerID, since previous: TimeSample?) -> Double? {
        let c = Int(container.rawValue)
        guard c < hits.count else { return nil }
        let h = hits[c] - (previous.map { c < $0.hits.count ? $0.hits[c] : 0 } ?? 0)
        let m = misses[c] - (previous.map { c < $0.misses.count ? $0.misses[c] : 0 } ?? 0)
        return h + m == 0 ? nil : Double(h) / Double(h + m)
    }
}

/// The state of one page of a file, for a residency strip.
public struct PageResidency: Hashable, Sendable {
    /// The page the file's page resolves to.
    public var key: PageKey
    /// Whether it is cached.
    public var isResident: Bool
    /// The container charged for it (the one whose access brought it in), if cached.
    public var chargedTo: ContainerID?
    /// Whether a container other than the charged one has accessed it.
    public var accessedByOthers: Bool
    /// Whether its address space is used by two or more files or containers.
    public var spaceIsShared: Bool
    /// Whether it carries the readahead marker.
    public var hasReadaheadMarker: Bool
}

/// Resident pages split by whether more than one container has used them.
public struct ResidentSharing: Hashable, Sendable {
    /// The page size, for the byte figures.
    public var pageSize: Int
    /// Resident pages accessed by a container other than the one charged.
    public var sharedPages = 0
    /// Resident pages used only by the container charged for them.
    public var uniquePages = 0
    /// Shared pages by the container charged for them (indexed by `ContainerID.rawValue`).
    public var sharedPagesChargedTo: [Int]

    /// Bytes of shared pages.
    public var sharedBytes: UInt64 { UInt64(sharedPages) * UInt64(pageSize) }
    /// Bytes of unique pages.
    public var uniqueBytes: UInt64 { UInt64(uniquePages) * UInt64(pageSize) }
}
