/// open, read, pread, close: `filemap_read` driving the on-demand readahead of ``Readahead``.
extension CacheSimulator {
    /// Opens `file` in `container` (a new `struct file` with its own readahead state).
    ///
    /// `advice` applies `posix_fadvise` at once: `.sequential` doubles `ra_pages`, `.random`
    /// makes reads bring in exactly the pages they ask for.
    public func open(_ container: ContainerID, _ file: FileID, advice: AccessAdvice = .normal) -> OpenFileID {
        let a = accessor(container, file)
        var ra = ReadaheadState(raPages: configuration.readaheadPages, pageSize: configuration.pageSize)
        switch advice {
        case .normal: break
        case .sequential: ra.raPages *= 2
        case .random: ra.random = true
        }
        let entry = OpenFile(container: container, file: file, category: a.category, readahead: ra)
        return OpenFileID(openFiles.store(entry, reusing: &freeOpenFiles))
    }

    /// Closes `handle`. Mappings made through it stay valid until ``munmap(_:)``.
    public func close(_ handle: OpenFileID) {
        let i = Int(handle.rawValue)
        precondition(openFiles[i].isOpen, "\(handle) is not open")
        openFiles[i].isOpen = false
        releaseIfUnused(handle.rawValue)
    }

    func releaseIfUnused(_ index: Int32) {
        let f = openFiles[Int(index)]
        if !f.isOpen && f.mappingCount == 0 { freeOpenFiles.append(index) }
    }

    /// The file position of `handle`.
    public func position(of handle: OpenFileID) -> UInt64 { openFiles[Int(handle.rawValue)].position }

    /// Sets the file position of `handle` (lseek).
    public func seek(_ handle: OpenFileID, to offset: UInt64) { openFiles[Int(handle.rawValue)].position = offset }

    /// The readahead state of `handle` (`file->f_ra`), for inspection.
    public func readaheadState(of handle: OpenFileID) -> ReadaheadState { openFiles[Int(handle.rawValue)].readahead }

    /// `read(2)`: reads `length` bytes at `offset` (or at the file position, which then advances).
    /// Returns the bytes read (short at EOF).
    @discardableResult
    public func read(_ handle: OpenFileID, offset: UInt64? = nil, length: UInt64) -> UInt64 {
        let i = Int(handle.rawValue)
        precondition(openFiles[i].isOpen, "\(handle) is not open")
        let start = offset ?? openFiles[i].position
        let n = performRead(i, offset: start, length: length)
        openFiles[i].position = start + n
        return n
    }

    /// `pread(2)`: reads `length` bytes at `offset` without moving the file position.
    @discardableResult
    public func pread(_ handle: OpenFileID, offset: UInt64, length: UInt64) -> UInt64 {
        let i = Int(handle.rawValue)
        precondition(openFiles[i].isOpen, "\(handle) is not open")
        return performRead(i, offset: offset, length: length)
    }

    /// `filemap_read`: batches of cached pages, sync readahead on a miss, async readahead when
    /// a batch ends on a PG_readahead page; `prev_pos` is left after the last byte copied.
    func performRead(_ index: Int, offset: UInt64, length: UInt64) -> UInt64 {
        let of = openFiles[index]
        let a = Accessor(container: of.container, file: of.file, category: of.category)
        let size = files[of.file].size
        guard length > 0, offset < size else { return 0 }
        defer { finishOperation() }
        var ra = of.readahead
        let pageSize = UInt64(configuration.pageSize), shift = UInt64(pageShift)
        let requestEnd = offset.addingReportingOverflow(length).overflow ? UInt64.max : offset + length
        let lastIndex = requestEnd >> shift + (requestEnd & (pageSize - 1) == 0 ? 0 : 1)
        let readEnd = Swift.min(requestEnd, size)
        let filePages = pageCount(of: of.file)
        let batchLimit = Swift.min(lastIndex, filePages)
        let ioPages = configuration.ioPages
        var pos = offset
        while pos < readEnd {
            let first = pos >> shift
            var end = readBatch(a, from: first, limit: batchLimit)
            if end == first {
                let request = ra.syncReadahead(index: first, request: lastIndex - first, ioPages: ioPages) { index, max in
                    cachedRun(a, before: index, max: max)
                }
                bringIn(request, by: a, filePages: filePages)
                end = readBatch(a, from: first, limit: batchLimit)
                if end == first {
                    // filemap_create_folio: readahead brought nothing (e.g. evicted at once).
                    let k = key(a, first)
                    bringIn(ReadaheadRequest(start: first, count: 1, lookahead: 0), by: a, filePages: filePages)
                    let slot = pages.lookup(k)
                    batchSlots.append(slot >= 0 ? slot : add(k, by: a))
                    end = first + 1
                }
            }
            for slot in batchSlots { countAccess(slot, by: a) }
            let last = batchSlots[batchSlots.count - 1]
            if pages.flags[Int(last)] & ResidentPages.Flag.readahead != 0 {
                pages.flags[Int(last)] &= ~ResidentPages.Flag.readahead
                let markIndex = end - 1
                if let request = ra.asyncReadahead(index: markIndex, request: lastIndex - markIndex, ioPages: ioPages, nextMiss: { from, max in
                    nextMiss(a, from: from, max: max, filePages: filePages)
                }) {
                    bringIn(request, by: a, filePages: filePages)
                }
            }
            pos = Swift.min(readEnd, end << shift)
        }
        ra.prevPos = Int64(bitPattern: pos)
        openFiles[index].readahead = ra
        return pos - offset
    }

    /// `filemap_get_read_batch`: the resident run from `first` (below `limit`), ending after the
    /// first page with PG_readahead. Fills ``batchSlots``; returns the index after the run.
    func readBatch(_ a: Accessor, from first: UInt64, limit: UInt64) -> UInt64 {
        batchSlots.removeAll(keepingCapacity: true)
        var i = first
        while i < limit {
            let slot = self.slot(a, i)
            if slot < 0 { break }
            batchSlots.append(slot)
            i += 1
            if pages.flags[Int(slot)] & ResidentPages.Flag.readahead != 0 { break }
        }
        return i
    }

    /// `page_cache_prev_miss` as a count: resident pages just before `index`, at most `max`.
    func cachedRun(_ a: Accessor, before index: UInt64, max: UInt64) -> UInt64 {
        var run: UInt64 = 0
        while run < max && run < index && slot(a, index - run - 1) >= 0 { run += 1 }
        return run
    }

    /// `page_cache_next_miss`: the first index from `from` that is not resident (EOF counts as a
    /// hole), or `from + max` when the scan finds none.
    func nextMiss(_ a: Accessor, from: UInt64, max: UInt64, filePages: UInt64) -> UInt64 {
        var i = from
        while i < from + max {
            if i >= filePages || slot(a, i) < 0 { return i }
            i += 1
        }
        return from + max
    }

    /// `do_page_cache_ra` + `page_cache_ra_unbounded`: clip at EOF, add the missing pages, and
    /// mark the page `lookahead` before the end if this request added it. The resolver may
    /// widen the range (``PageIdentityResolver/readaheadRange(container:file:pages:)``); the
    /// extra pages are added unmarked.
    func bringIn(_ request: ReadaheadRequest, by a: Accessor, filePages: UInt64) {
        guard request.start < filePages, request.count > 0 else { return }
        let count = Swift.min(request.count, filePages - request.start)
        let mark = request.lookahead > 0 && request.lookahead <= count ? count - request.lookahead : UInt64.max
        let asked = request.start..<(request.start + count)
        let widened = resolver.readaheadRange(container: a.container, file: a.file, pages: asked)
        let lower = widened.lowerBound, upper = Swift.min(widened.upperBound, filePages)
        if lower < asked.lowerBound { addMissing(a, lower..<asked.lowerBound) }
        for i in 0..<count {
            let k = key(a, request.start + i)
            if pages.lookup(k) >= 0 { continue }
            add(k, by: a, marked: i == mark)
        }
        if upper > asked.upperBound { addMissing(a, asked.upperBound..<upper) }
    }

    func addMissing(_ a: Accessor, _ range: Range<UInt64>) {
        for page in range {
            let k = key(a, page)
            if pages.lookup(k) < 0 { add(k, by: a) }
        }
    }
}
