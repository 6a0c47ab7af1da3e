/// Queries: per container, per space (and roll-ups), per file, totals, residency.
extension CacheSimulator {
    /// The account of `container`.
    public func containerStatistics(_ container: ContainerID) -> ContainerStatistics {
        containers[Int(container.rawValue)]
    }

    /// The accounts of every container, in ID order.
    public var allContainerStatistics: [ContainerStatistics] { containers }

    /// Whole-cache figures.
    public var cacheTotals: CacheTotals { totals }

    /// The number of resident pages.
    public var residentPageCount: Int { pages.count }

    /// The counters of pages reached through `file`.
    public func fileStatistics(_ file: FileID) -> FileStatistics {
        Int(file.rawValue) < fileCounters.count ? fileCounters[Int(file.rawValue)] : FileStatistics()
    }

    /// Pages that `container`'s accesses through `file` added (cumulative).
    public func addedPages(of file: FileID, in container: ContainerID) -> Int {
        let row = containerFileAdded[Int(container.rawValue)]
        return Int(file.rawValue) < row.count ? Int(row[Int(file.rawValue)]) : 0
    }

    /// The files through which `container` added pages, with the page counts, in file order
    /// (the report's `--per-file` list).
    public func filesWithAddedPages(in container: ContainerID) -> [(file: FileID, addedPages: Int)] {
        containerFileAdded[Int(container.rawValue)].enumerated().compactMap { entry in
            entry.element == 0 ? nil : (FileID(UInt32(entry.offset)), Int(entry.element))
        }
    }

    /// The counters of one address space.
    public func spaceStatistics(_ space: AddressSpaceID) -> SpaceStatistics {
        var result = SpaceStatistics()
        let s = pages.local(of: space)
        guard s >= 0 && s < spaceCounters.count else { return result }
        let c = spaceCounters[s]
        result.residentPages = c.resident
        result.addedPages = c.added
        result.hits = c.hits
        result.misses = c.misses
        result.spaces = c.firstFile >= 0 ? 1 : 0
        result.sharedSpaces = c.isShared ? 1 : 0
        return result
    }

    /// Counters of the spaces used so far, summed by a label of their descriptors; spaces for
    /// which `group` returns nil are left out. Example: `spaceStatistics { $0.blob }`.
    public func spaceStatistics<Key: Hashable>(rolledUpBy group: (AddressSpaceDescriptor) -> Key?) -> [Key: SpaceStatistics] {
        var result: [Key: SpaceStatistics] = [:]
        for s in spaceCounters.indices where spaceCounters[s].firstFile >= 0 {
            let id = pages.spaceIDs[s]
            guard let key = group(spaces[id]) else { continue }
            result[key, default: SpaceStatistics()].add(spaceStatistics(id))
        }
        return result
    }

    /// Whether `space` has been used by two or more (file, container) pairs.
    public func isShared(_ space: AddressSpaceID) -> Bool {
        let s = pages.local(of: space)
        return s >= 0 && s < spaceCounters.count && spaceCounters[s].isShared
    }

    /// Whether `key` is cached.
    public func isResident(_ key: PageKey) -> Bool { pages.lookup(key) >= 0 }

    /// The container charged for `key`, or nil when it is not cached.
    public func chargedContainer(of key: PageKey) -> ContainerID? {
        let slot = pages.lookup(key)
        return slot < 0 ? nil : ContainerID(pages.owner[Int(slot)])
    }

    /// Whether `key` carries the PG_readahead marker.
    public func hasReadaheadMarker(_ key: PageKey) -> Bool {
        let slot = pages.lookup(key)
        return slot >= 0 && pages.flags[Int(slot)] & ResidentPages.Flag.readahead != 0
    }

    /// The cached pages of `file` as `container` sees them: one entry per page (or per page of
    /// `range`), for a residency strip.
    public func residency(of file: FileID, in container: ContainerID, pages range: Range<UInt64>? = nil) -> [PageResidency] {
        let count = pageCount(of: file)
        let r = range.map { Swift.min($0.lowerBound, count)..<Swift.min($0.upperBound, count) } ?? 0..<count
        return r.map { page in
            let k = resolver.pageKey(container: container, file: file, page: page)
            let slot = pages.lookup(k)
            let flags = slot < 0 ? 0 : pages.flags[Int(slot)]
            return PageResidency(key: k, isResident: slot >= 0,
                                 chargedTo: slot < 0 ? nil : ContainerID(pages.owner[Int(slot)]),
                                 accessedByOthers: flags & ResidentPages.Flag.sharedAccess != 0,
                                 spaceIsShared: isShared(k.space),
                                 hasReadaheadMarker: flags & ResidentPages.Flag.readahead != 0)
        }
    }

    /// How many resident pages serve more than one container: a page is shared once a container
    /// other than the one charged for it has accessed it. O(resident pages).
    public func residentSharing() -> ResidentSharing {
        var result = ResidentSharing(pageSize: configuration.pageSize, sharedPagesChargedTo: Array(repeating: 0, count: containers.count))
        for slot in pages.slotsFromLeastRecent() {
            let i = Int(slot)
            if pages.flags[i] & ResidentPages.Flag.sharedAccess != 0 {
                result.sharedPages += 1
                result.sharedPagesChargedTo[Int(pages.owner[i])] += 1
            } else {
                result.uniquePages += 1
            }
        }
        return result
    }

    /// The resident pages from least to most recently used (the eviction order). Recency is
    /// only tracked under a capacity; without one the order is arbitrary. O(resident).
    public func pagesByRecency() -> [PageKey] {
        pages.slotsFromLeastRecent().map { pages.key(of: $0) }
    }

    /// Checks the model's invariants and returns a description of each one broken (empty when
    /// all hold): resident ≤ capacity; resident = Σ charged = Σ per-space resident; the LRU
    /// list holds every resident page once.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        if pages.count > capacity { problems.append("resident \(pages.count) > capacity \(capacity)") }
        let charged = containers.reduce(0) { $0 + $1.chargedPages.total }
        if charged != pages.count { problems.append("charged \(charged) != resident \(pages.count)") }
        if totals.residentPages.total != pages.count { problems.append("total resident \(totals.residentPages.total) != \(pages.count)") }
        let inSpaces = spaceCounters.reduce(0) { $0 + $1.resident }
        if inSpaces != pages.count { problems.append("space resident \(inSpaces) != \(pages.count)") }
        let listed = pages.slotsFromLeastRecent()
        if listed.count != pages.count { problems.append("LRU holds \(listed.count) != \(pages.count)") }
        for slot in listed where pages.lookup(pages.key(of: slot)) != slot {
            problems.append("slot \(slot) not indexed")
            break
        }
        let accesses = containers.reduce(0) { $0 + $1.hits.total + $1.misses.total }
        if accesses != totals.hits.total + totals.misses.total { problems.append("accesses disagree") }
        return problems
    }
}
