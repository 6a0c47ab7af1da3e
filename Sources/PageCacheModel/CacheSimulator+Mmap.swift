/// mmap, page faults (`filemap_fault`), read-around and fault-around (`filemap_map_pages`).
extension CacheSimulator {
    /// What one fault did.
    public enum FaultOutcome: Hashable, Sendable {
        /// ``CacheSimulator/touch(_:page:)`` only: a PTE already mapped the page; no fault.
        case alreadyMapped
        /// The page was cached and fault-around mapped it (no `->fault` call).
        case mappedByFaultAround
        /// The page was cached; `filemap_fault` mapped it (minor fault).
        case minor
        /// The page was not cached: readahead or a single read brought it in (major fault).
        case major
        /// The page is past EOF (SIGBUS) or outside the mapping.
        case outOfRange
    }

    /// `mmap(2)` of `length` bytes of `handle`'s file from `offset` (rounded out to pages).
    /// The mapping shares `handle`'s readahead state, as a VMA shares its `struct file`.
    /// Fault-around assumes the mapping starts at a fault-around-aligned address.
    public func mmap(_ handle: OpenFileID, offset: UInt64 = 0, length: UInt64, advice: AccessAdvice = .normal) -> MappingID {
        let i = Int(handle.rawValue)
        precondition(openFiles[i].isOpen, "\(handle) is not open")
        let shift = UInt64(pageShift)
        let first = offset >> shift
        let end = (offset + length + UInt64(configuration.pageSize) - 1) >> shift
        openFiles[i].mappingCount += 1
        return MappingID(mappings.add(openFile: handle.rawValue, firstPage: first, pageCount: end - first, advice: advice))
    }

    /// `munmap(2)`: drops the mapping (cached pages stay cached).
    public func munmap(_ mapping: MappingID) {
        guard let m = mappings.remove(Int(mapping.rawValue)) else { preconditionFailure("\(mapping) is not mapped") }
        openFiles[Int(m.openFile)].mappingCount -= 1
        releaseIfUnused(m.openFile)
    }

    /// A page fault at file page `page` through `mapping` (`do_read_fault`): fault-around first,
    /// then `filemap_fault` with mmap read-around or readahead when the page is not cached.
    @discardableResult
    public func fault(_ mapping: MappingID, page: UInt64) -> FaultOutcome {
        defer { finishOperation() }
        return performFault(mapping.rawValue, page: page)
    }

    /// A process touches file page `page` through `mapping`: no fault if a PTE already maps a
    /// cached page (counted as a hit), else ``fault(_:page:)``.
    @discardableResult
    public func touch(_ mapping: MappingID, page: UInt64) -> FaultOutcome {
        defer { finishOperation() }
        guard let m = mappings[Int(mapping.rawValue)], m.contains(page) else { return .outOfRange }
        if mappings.isMapped(m, page) {
            let a = mappingAccessor(m)
            let slot = self.slot(a, page)
            if slot >= 0 {
                countAccess(slot, by: a)
                return .alreadyMapped
            }
        }
        return performFault(mapping.rawValue, page: page)
    }

    /// A fault on page `page` of `file` in `container` as a trace reports it (ftrace
    /// `mm_filemap_fault`): it goes through one implicit whole-file mapping per (container,
    /// file), with its own readahead state.
    @discardableResult
    public func fault(_ container: ContainerID, _ file: FileID, page: UInt64) -> FaultOutcome {
        defer { finishOperation() }
        return performFault(implicitMapping(container, file), page: page)
    }

    /// `filemap_map_pages` on the implicit mapping of (container, file): maps the cached pages
    /// of `pages` (skipping PG_readahead pages), never starting I/O. Returns the pages mapped.
    @discardableResult
    public func mapPages(_ container: ContainerID, _ file: FileID, pages range: Range<UInt64>) -> Int {
        let index = implicitMapping(container, file)
        return mapCached(index, range)
    }

    /// The file pages currently mapped by `mapping`, in order.
    public func mappedPages(_ mapping: MappingID) -> [UInt64] {
        guard let m = mappings[Int(mapping.rawValue)] else { return [] }
        return (m.firstPage..<(m.firstPage + m.pageCount)).filter { mappings.isMapped(m, $0) }
    }

    /// The implicit mapping used by ``fault(_:_:page:)`` for (container, file).
    public func implicitMappingID(_ container: ContainerID, _ file: FileID) -> MappingID {
        MappingID(implicitMapping(container, file))
    }

    func implicitMapping(_ container: ContainerID, _ file: FileID) -> Int32 {
        let k = UInt64(container.rawValue) << 32 | UInt64(file.rawValue)
        if let index = implicitMappings[k] { return index }
        let handle = open(container, file)
        let index = mmap(handle, offset: 0, length: files[file].size).rawValue
        close(handle)
        implicitMappings[k] = index
        return index
    }

    func mappingAccessor(_ m: Mapping) -> Accessor {
        let of = openFiles[Int(m.openFile)]
        return Accessor(container: of.container, file: of.file, category: of.category)
    }

    func performFault(_ index: Int32, page: UInt64) -> FaultOutcome {
        guard let m = mappings[Int(index)], m.contains(page) else { return .outOfRange }
        let a = mappingAccessor(m)
        let filePages = pageCount(of: a.file)
        guard page < filePages else { return .outOfRange }
        // do_fault_around: map what is cached in the aligned window; done if that maps the page.
        let around = configuration.faultAroundPages
        if around > 1 {
            let offsetInVMA = page - m.firstPage
            let from = m.firstPage + offsetInVMA / around * around
            let to = Swift.min(from + around, m.firstPage + m.pageCount, filePages)
            mapCached(index, from..<to)
            let slot = self.slot(a, page)
            if mappings.isMapped(m, page) && slot >= 0 {
                countAccess(slot, by: a)
                return .mappedByFaultAround
            }
        }
        // filemap_fault.
        let openIndex = Int(m.openFile)
        var ra = openFiles[openIndex].readahead
        defer { openFiles[openIndex].readahead = ra }
        let k = key(a, page)
        var slot = pages.lookup(k)
        let outcome: FaultOutcome
        if slot >= 0 {
            outcome = .minor
            // do_async_mmap_readahead.
            if m.advice != .random && ra.raPages > 0 {
                ra.mmapHit()
                if pages.flags[Int(slot)] & ResidentPages.Flag.readahead != 0 {
                    pages.flags[Int(slot)] &= ~ResidentPages.Flag.readahead
                    if let request = ra.asyncReadahead(index: page, request: ra.raPages, ioPages: configuration.ioPages, nextMiss: { from, max in
                        nextMiss(a, from: from, max: max, filePages: filePages)
                    }) {
                        bringIn(request, by: a, filePages: filePages)
                    }
                }
            }
        } else {
            outcome = .major
            // do_sync_mmap_readahead.
            if m.advice != .random && ra.raPages > 0 {
                if m.advice == .sequential {
                    let request = ra.syncReadahead(index: page, request: ra.raPages, ioPages: configuration.ioPages) { index, max in
                        cachedRun(a, before: index, max: max)
                    }
                    bringIn(request, by: a, filePages: filePages)
                } else if let request = ra.mmapReadAround(index: page, raPages: configuration.mmapReadAroundPages ?? ra.raPages) {
                    bringIn(request, by: a, filePages: filePages)
                }
            }
            slot = pages.lookup(k)
            if slot < 0 {
                bringIn(ReadaheadRequest(start: page, count: 1, lookahead: 0), by: a, filePages: filePages)
                slot = pages.lookup(k)
                if slot < 0 { slot = add(k, by: a) }
            }
        }
        countAccess(slot, by: a)
        mappings.setMapped(m, page, true)
        return outcome
    }

    /// Maps the cached, unmarked, not yet mapped pages of `range` in mapping `index`, and lowers
    /// the file's mmap_miss by the number mapped (as `filemap_map_pages` does for pages that are
    /// not refaulting; the model has no workingset, so that is every page).
    @discardableResult
    func mapCached(_ index: Int32, _ range: Range<UInt64>) -> Int {
        guard let m = mappings[Int(index)] else { return 0 }
        let a = mappingAccessor(m)
        let filePages = pageCount(of: a.file)
        var mapped = 0
        let lower = Swift.max(range.lowerBound, m.firstPage)
        let upper = Swift.min(range.upperBound, m.firstPage + m.pageCount, filePages)
        guard lower < upper else { return 0 }
        for page in lower..<upper {
            let slot = self.slot(a, page)
            if slot < 0 {
                // Evicted or deleted since it was mapped: the PTE is gone in the kernel too.
                if mappings.isMapped(m, page) { mappings.setMapped(m, page, false) }
                continue
            }
            if pages.flags[Int(slot)] & ResidentPages.Flag.readahead != 0 || mappings.isMapped(m, page) { continue }
            mappings.setMapped(m, page, true)
            mapped += 1
        }
        // filemap_map_pages: pages mapped without a fault count as mmap hits.
        let miss = openFiles[Int(m.openFile)].readahead.mmapMiss
        openFiles[Int(m.openFile)].readahead.mmapMiss = miss - Swift.min(miss, UInt32(truncatingIfNeeded: mapped))
        return mapped
    }
}
