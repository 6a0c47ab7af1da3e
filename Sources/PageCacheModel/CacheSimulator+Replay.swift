/// Page-level replay, directory and metadata reads, drop_caches and the replay clock.
extension CacheSimulator {
    /// Reads every page of directory `file` (as `getdents` over the whole directory does);
    /// the pages count as directory pages. Returns the number of pages read.
    @discardableResult
    public func readDirectory(_ container: ContainerID, _ file: FileID) -> Int {
        let a = accessor(container, file)
        let count = pageCount(of: file)
        accessPages(a, 0..<count)
        return Int(count)
    }

    /// Demand-accesses `pages` of `file` one by one without readahead, the way
    /// `read_mapping_folio` (erofs_bread: metadata, directory blocks) does.
    public func accessPages(_ container: ContainerID, _ file: FileID, pages range: Range<UInt64>) {
        let a = accessor(container, file)
        let end = Swift.min(range.upperBound, pageCount(of: file))
        guard range.lowerBound < end else { return }
        accessPages(a, range.lowerBound..<end)
    }

    func accessPages(_ a: Accessor, _ range: Range<UInt64>) {
        defer { finishOperation() }
        for page in range { demand(a, page) }
    }

    /// Page-level replay of `mm_filemap_add_to_page_cache`: pages `page ..< page + count` of
    /// `file` enter the cache charged to `container` (pages already cached are left alone).
    /// No hits or misses are counted. Returns the pages added.
    @discardableResult
    public func pageAdd(_ container: ContainerID, _ file: FileID, page: UInt64, count: UInt64 = 1) -> Int {
        let a = accessor(container, file)
        var added = 0
        for p in page..<(page + count) {
            let k = key(a, p)
            if pages.lookup(k) < 0 {
                add(k, by: a, fresh: false)
                added += 1
            }
        }
        return added
    }

    /// Page-level replay of `mm_filemap_delete_from_page_cache`: pages `page ..< page + count`
    /// of `file`, as `container` resolves them, leave the cache. Returns the pages removed.
    @discardableResult
    public func pageDelete(_ container: ContainerID, _ file: FileID, page: UInt64, count: UInt64 = 1) -> Int {
        let a = accessor(container, file)
        var removed = 0
        for p in page..<(page + count) {
            let slot = self.slot(a, p)
            if slot >= 0 {
                remove(slot, evicted: false)
                removed += 1
            }
        }
        return removed
    }

    /// Removes every resident page for which `predicate(key, chargedContainer)` is true, e.g. the
    /// pages of a space whose last user unmounted. Not counted as evictions. O(resident pages).
    @discardableResult
    public func removePages(where predicate: (PageKey, ContainerID) -> Bool) -> Int {
        var removed = 0
        for slot in pages.slotsFromLeastRecent() where predicate(pages.key(of: slot), ContainerID(pages.owner[Int(slot)])) {
            remove(slot, evicted: false)
            removed += 1
        }
        return removed
    }

    /// `echo 1 > /proc/sys/vm/drop_caches`: every page leaves the cache and every mapping loses
    /// its PTEs (the model does not pin mapped pages). Cumulative counters are kept.
    public func dropCaches() {
        for c in containers.indices { containers[c].chargedPages = CategoryCounts() }
        totals.residentPages = CategoryCounts()
        for s in spaceCounters.indices { spaceCounters[s].resident = 0 }
        mappings.unmapAll()
        freshSlots.removeAll(keepingCapacity: true)
        pages.removeAll()
        forgetResidencyChanges()
    }

    /// Moves the replay clock to `time` (seconds), first taking a sample at each sample-interval
    /// boundary passed. Call it with an event's time before applying the event. Jumps of more
    /// than 10 000 intervals are sampled once.
    public func advance(to time: Double) {
        let interval = configuration.sampleInterval
        if interval > 0 {
            if (time - nextSampleTime) / interval > 10_000 {
                nextSampleTime = (time / interval).rounded(.down) * interval
            }
            while nextSampleTime <= time {
                recordSample(at: nextSampleTime)
                nextSampleTime += interval
            }
        }
        now = Swift.max(now, time)
    }

    /// Takes a sample at the current clock (e.g. at the end of a replay).
    public func sampleNow() { recordSample(at: now) }

    func recordSample(at time: Double) {
        samples.append(TimeSample(time: time, pageSize: configuration.pageSize,
                                  chargedPages: containers.map { $0.chargedPages.total },
                                  hits: containers.map { $0.hits.total },
                                  misses: containers.map { $0.misses.total },
                                  residentPages: pages.count))
    }
}
