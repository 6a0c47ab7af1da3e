/// A model of the Linux page cache under one sharing policy.
///
/// Feed it the operations of a workload (opens, reads, mmap faults, directory reads, or
/// page-level add/delete events from ftrace); it decides, the way the kernel would, which pages
/// are brought in (on-demand readahead, mmap read-around, fault-around), charges each new page
/// to the container whose access added it (first touch, as memcg does), counts page hits and
/// misses, and evicts the least recently used page when a capacity is set.
///
/// The policy is entirely in the ``PageIdentityResolver``: two accesses share a cached page iff
/// the resolver maps them to the same ``PageKey``.
///
/// ```swift
/// let sim = CacheSimulator(policy: "none", files: files, spaces: spaces, resolver: perInode)
/// let c = sim.registerContainer(name: "app")
/// let fd = sim.open(c, libc)
/// sim.read(fd, length: 1 << 20)
/// sim.close(fd)
/// print(sim.containerStatistics(c).addedBytes)
/// ```
///
/// Cost: amortised O(1) per page touched, no allocation per page; 11 bytes per resident page
/// (19 with a capacity, which needs the LRU list) plus 4 bytes per page of each space's index
/// range. Not thread-safe.
public final class CacheSimulator {
    /// The policy's name, for reports.
    public let policy: String
    /// The model's tunables.
    public let configuration: CacheConfiguration
    /// The session's files.
    public let files: FileRegistry
    /// The session's address spaces.
    public let spaces: AddressSpaceRegistry
    /// Maps file pages to cached pages.
    public let resolver: any PageIdentityResolver

    @exclusivity(unchecked) var pages: ResidentPages
    @exclusivity(unchecked) var containers: [ContainerStatistics] = []
    @exclusivity(unchecked) var spaceCounters = ChunkedArray<SpaceCounter>()
    @exclusivity(unchecked) var fileCounters = ChunkedArray<FileStatistics>()
    /// Pages added per container per file: `[container][file]`, grown on demand.
    @exclusivity(unchecked) var containerFileAdded: [[Int32]] = []
    @exclusivity(unchecked) var totals: CacheTotals
    @exclusivity(unchecked) var freshSlots: [Int32] = []
    @exclusivity(unchecked) var batchSlots: [Int32] = []
    @exclusivity(unchecked) var openFiles = ChunkedArray<OpenFile>()
    var freeOpenFiles: [Int32] = []
    @exclusivity(unchecked) var mappings = Mappings()
    var implicitMappings: [UInt64: Int32] = [:]
    let pageShift: Int
    let capacity: Int
    // The hot state above skips dynamic exclusivity checks (a quarter of the replay time):
    // the simulator is single-threaded and never holds an access across a call that could
    // re-enter it (resolvers are called with no access in progress).

    /// The replay clock, in seconds (see ``advance(to:)``).
    @exclusivity(unchecked) public internal(set) var now: Double = 0
    @exclusivity(unchecked) var nextSampleTime: Double = 0
    /// The time series, one sample per ``CacheConfiguration/sampleInterval`` of replay time.
    public internal(set) var samples: [TimeSample] = []
    /// Keys whose residency changed since the log was last cleared (see ``residencyChanges(since:)``).
    @exclusivity(unchecked) var residencyLog: [PageKey] = []
    /// Bumped whenever the log cannot list what changed (restore, drop caches, a full log).
    var residencyEpoch: UInt64 = 0

    /// Creates an empty cache.
    ///
    /// - Parameters:
    ///   - policy: a name for reports ("none", "blob", "inode", "chunk"…).
    ///   - configuration: page size, readahead and capacity.
    ///   - files: the session's files (shared by every policy).
    ///   - spaces: the registry the resolver interns its spaces in.
    ///   - resolver: the policy.
    public init(policy: String, configuration: CacheConfiguration = CacheConfiguration(),
                files: FileRegistry, spaces: AddressSpaceRegistry, resolver: any PageIdentityResolver) {
        self.policy = policy
        self.configuration = configuration
        self.files = files
        self.spaces = spaces
        self.resolver = resolver
        self.pageShift = configuration.pageSize.trailingZeroBitCount
        if let c = configuration.capacityPages { precondition(c > 0, "capacity must be at least one page") }
        self.capacity = configuration.capacityPages ?? Int.max
        self.pages = ResidentPages(tracksRecency: configuration.capacityPages != nil)
        if let c = configuration.capacityPages { pages.reserve(Swift.min(c, 1 << 22)) }
        self.totals = CacheTotals(pageSize: configuration.pageSize)
    }

    // MARK: Containers

    /// Registers a container and returns its ID (dense, in registration order).
    @discardableResult
    public func registerContainer(name: String) -> ContainerID {
        precondition(containers.count < Int(UInt16.max), "too many containers")
        let id = ContainerID(UInt16(containers.count))
        containers.append(ContainerStatistics(id: id, name: name, pageSize: configuration.pageSize))
        containerFileAdded.append([])
        return id
    }

    /// The registered containers, in ID order.
    public var containerIDs: [ContainerID] { containers.map(\.id) }

    /// The name `container` was registered with.
    public func name(of container: ContainerID) -> String { containers[Int(container.rawValue)].name }

    // MARK: Page primitives

    /// Who is touching pages, through which file.
    struct Accessor {
        var container: ContainerID
        var file: FileID
        var category: PageCategory
    }

    func accessor(_ container: ContainerID, _ file: FileID) -> Accessor {
        precondition(Int(container.rawValue) < containers.count, "unregistered \(container)")
        ensureFileCounters(file)
        return Accessor(container: container, file: file, category: files[file].kind.category)
    }

    func ensureFileCounters(_ file: FileID) {
        if Int(file.rawValue) >= fileCounters.count {
            fileCounters.append(contentsOf: repeatElement(FileStatistics(), count: files.count - fileCounters.count))
        }
    }

    @inline(__always)
    func key(_ a: Accessor, _ page: UInt64) -> PageKey {
        resolver.pageKey(container: a.container, file: a.file, page: page)
    }

    @inline(__always)
    func slot(_ a: Accessor, _ page: UInt64) -> Int32 {
        // The key first: the resolver is opaque code, so reading `pages` around its call would
        // copy the whole struct (retaining and releasing each of its arrays) on every lookup.
        let k = key(a, page)
        return pages.lookup(k)
    }

    func pageCount(of file: FileID) -> UInt64 {
        (files[file].size + UInt64(configuration.pageSize) - 1) >> UInt64(pageShift)
    }

    /// Adds `key` (known absent) on behalf of `a`, evicting first if the cache is full.
    /// `fresh` pages count as misses when accessed later in the same operation.
    @discardableResult
    func add(_ key: PageKey, by a: Accessor, marked: Bool = false, fresh: Bool = true) -> Int32 {
        if pages.count >= capacity, pages.tail >= 0 { remove(pages.tail, evicted: true) }
        var flags = UInt8(a.category.rawValue) << ResidentPages.Flag.categoryShift
        if marked { flags |= ResidentPages.Flag.readahead }
        if fresh { flags |= ResidentPages.Flag.fresh }
        let slot = pages.insert(key, owner: a.container, flags: flags)
        noteResidencyChange(key)
        if fresh { freshSlots.append(slot) }
        let c = Int(a.container.rawValue)
        containers[c].addedPages[a.category] += 1
        containers[c].chargedPages[a.category] += 1
        totals.addedPages[a.category] += 1
        totals.residentPages[a.category] += 1
        let f = Int(a.file.rawValue)
        fileCounters[f].addedPages += 1
        if f >= containerFileAdded[c].count {
            containerFileAdded[c].append(contentsOf: repeatElement(0, count: Swift.max(files.count, f + 1) - containerFileAdded[c].count))
        }
        containerFileAdded[c][f] &+= 1
        let s = noteUse(pages.localSpace(of: slot), by: a)
        spaceCounters[s].added += 1
        spaceCounters[s].resident += 1
        return slot
    }

    /// Removes a resident page, uncharging its owner.
    func remove(_ slot: Int32, evicted: Bool) {
        let category = pages.category(of: slot)
        let owner = Int(pages.owner[Int(slot)])
        let space = pages.localSpace(of: slot)
        containers[owner].chargedPages[category] -= 1
        totals.residentPages[category] -= 1
        spaceCounters[space].resident -= 1
        if evicted {
            containers[owner].evictedPages += 1
            totals.evictedPages += 1
        }
        noteResidencyChange(pages.key(of: slot))
        pages.remove(slot)
    }

    /// Counts a demand access of a resident page: a miss if this operation added it, else a hit.
    @inline(__always)
    func countAccess(_ slot: Int32, by a: Accessor) {
        let i = Int(slot)
        let flags = pages.flags[i]
        let c = Int(a.container.rawValue)
        let s = noteUse(pages.localSpace(of: slot), by: a)
        if flags & ResidentPages.Flag.fresh != 0 {
            containers[c].misses[a.category] += 1
            totals.misses[a.category] += 1
            fileCounters[Int(a.file.rawValue)].misses += 1
            spaceCounters[s].misses += 1
        } else {
            containers[c].hits[a.category] += 1
            totals.hits[a.category] += 1
            fileCounters[Int(a.file.rawValue)].hits += 1
            spaceCounters[s].hits += 1
        }
        if pages.owner[i] != a.container.rawValue { pages.flags[i] = flags | ResidentPages.Flag.sharedAccess }
        pages.touch(slot)
    }

    /// Demand-accesses one page without readahead, adding it if absent. Returns its slot.
    @discardableResult
    func demand(_ a: Accessor, _ page: UInt64) -> Int32 {
        let k = key(a, page)
        var slot = pages.lookup(k)
        if slot < 0 { slot = add(k, by: a) }
        countAccess(slot, by: a)
        return slot
    }

    /// Ends an operation: pages it added are ordinary resident pages from now on.
    func finishOperation() {
        for slot in freshSlots { pages.flags[Int(slot)] &= ~ResidentPages.Flag.fresh }
        freshSlots.removeAll(keepingCapacity: freshSlots.count < 1 << 16)
    }

    /// Records that `a` uses the space of local number `s` (see ``ResidentPages/makeLocal(_:)``);
    /// returns `s`, the space's counter index.
    @inline(__always)
    func noteUse(_ s: Int, by a: Accessor) -> Int {
        if s >= spaceCounters.count {
            spaceCounters.append(contentsOf: repeatElement(SpaceCounter(), count: s + 1 - spaceCounters.count))
        }
        let file = Int32(bitPattern: a.file.rawValue), container = Int32(a.container.rawValue)
        if spaceCounters[s].firstFile < 0 {
            spaceCounters[s].firstFile = file
            spaceCounters[s].firstContainer = container
        } else if spaceCounters[s].firstFile != file || spaceCounters[s].firstContainer != container {
            spaceCounters[s].isShared = true
        }
        return s
    }
}

/// Per-space counters and the users seen so far, by local space number.
struct SpaceCounter {
    var resident = 0
    var added = 0
    var hits = 0
    var misses = 0
    var firstFile: Int32 = -1
    var firstContainer: Int32 = -1
    /// Used by two or more (file, container) pairs.
    var isShared = false
}
