/// The kernel's on-demand readahead (mm/readahead.c), per open file, as pure state.
///
/// Indices are file page indices. The state mirrors `struct file_ra_state`: the current window
/// `[start, start + size)`, of which the last `asyncSize` pages are read ahead of the reader:
/// the page at `start + size - asyncSize` carries PG_readahead, and consuming it triggers the
/// next (asynchronous) window. The cache is queried only through the closures given to each
/// step, so the algorithm can be tested without a cache.
public struct ReadaheadState: Hashable, Sendable {
    /// `ra->start`: first page of the current window.
    public var start: UInt64 = 0
    /// `ra->size`: pages in the current window.
    public var size: UInt64 = 0
    /// `ra->async_size`: pages of the window still ahead of the reader when the marker is hit.
    public var asyncSize: UInt64 = 0
    /// `ra->ra_pages`: the window limit (0 disables readahead).
    public var raPages: UInt64
    /// `ra->prev_pos`: the byte after the last byte read, or -1 before the first read.
    public var prevPos: Int64 = -1
    /// `ra->mmap_miss`: mmap faults that missed minus those that hit (read-around stops above 100).
    public var mmapMiss: UInt32 = 0
    /// FMODE_RANDOM (POSIX_FADV_RANDOM): reads bring in exactly what they ask for.
    public var random: Bool = false
    /// log2 of the page size, to turn ``prevPos`` into a page index.
    public var pageShift: Int

    /// A fresh state as `file_ra_state_init` leaves it, for pages of `pageSize` bytes.
    public init(raPages: UInt64, pageSize: Int = 4096) {
        self.raPages = raPages
        self.pageShift = pageSize.trailingZeroBitCount
    }

    /// The index expected to carry PG_readahead for the current window.
    public var expectedMarker: UInt64 { start &+ size &- asyncSize }
}

/// Pages to bring into the cache: `page_cache_ra_unbounded(start, count, lookahead)`.
///
/// The simulator clips the request at EOF, adds the pages not yet cached, and marks the page
/// at `count - lookahead` (after clipping, only if that page is newly added) with PG_readahead.
public struct ReadaheadRequest: Hashable, Sendable {
    /// First page index.
    public var start: UInt64
    /// Number of pages.
    public var count: UInt64
    /// Pages before the end of the request where the marker goes; 0 means no marker.
    public var lookahead: UInt64

    /// Creates a request.
    public init(start: UInt64, count: UInt64, lookahead: UInt64) {
        self.start = start
        self.count = count
        self.lookahead = lookahead
    }
}

/// Window sizing and the readahead entry points.
public enum Readahead {
    /// The mmap_miss threshold above which read-around stops (MMAP_LOTSAMISS).
    public static let mmapLotsaMiss: UInt32 = 100

    /// `get_init_ra_size`: the first window for a request of `request` pages.
    public static func initialSize(request: UInt64, max: UInt64) -> UInt64 {
        let r = roundUpPowerOfTwo(request)
        if r <= max / 32 { return r * 4 }
        if r <= max / 4 { return r * 2 }
        return max
    }

    /// `get_next_ra_size`: the window after one of `size` pages.
    public static func nextSize(_ size: UInt64, max: UInt64) -> UInt64 {
        if size < max / 16 { return 4 * size }
        if size <= max / 2 { return 2 * size }
        return max
    }

    /// `ractl_max_pages`: oversized requests may use up to `io_pages`.
    public static func maxPages(raPages: UInt64, request: UInt64, ioPages: UInt64) -> UInt64 {
        if request > raPages && ioPages > raPages { return Swift.min(request, ioPages) }
        return raPages
    }

    static func roundUpPowerOfTwo(_ value: UInt64) -> UInt64 {
        if value <= 1 { return 1 }
        return 1 << (64 - (value - 1).leadingZeroBitCount)
    }
}

extension ReadaheadState {
    /// `page_cache_sync_ra`: a read of `request` pages missed the cache at `index`.
    ///
    /// - Parameter cachedRunBefore: the number of consecutive cached pages ending at `index - 1`,
    ///   scanning at most `max` pages (`page_cache_prev_miss`); the simulator answers it.
    /// - Returns: the pages to bring in; the state is updated as the kernel does.
    public mutating func syncReadahead(index: UInt64, request: UInt64, ioPages: UInt64,
                                       cachedRunBefore: (_ index: UInt64, _ max: UInt64) -> UInt64) -> ReadaheadRequest {
        var request = request
        if raPages == 0 || random {
            // force_page_cache_ra: exactly the request (one page when readahead is off).
            if raPages == 0 { request = 1 }
            let limit = Swift.max(ioPages, raPages)
            return ReadaheadRequest(start: index, count: Swift.min(request, Swift.max(limit, 1)), lookahead: 0)
        }
        let maxPages = Readahead.maxPages(raPages: raPages, request: request, ioPages: ioPages)
        let prevIndex = prevPageIndex
        if index == 0 || request > maxPages || index &- prevIndex <= 1 {
            // Start of file, oversized read, or sequential miss: a fresh initial window.
            start = index
            size = Readahead.initialSize(request: request, max: maxPages)
            asyncSize = size > request ? size - request : size / 2
            return currentWindow
        }
        // Context readahead: look for the trace a sequential stream leaves behind.
        var contiguous = cachedRunBefore(index, maxPages)
        if contiguous <= request {
            // A standalone random read: exactly the request, state untouched.
            return ReadaheadRequest(start: index, count: request, lookahead: 0)
        }
        if contiguous >= index && index <= maxPages { contiguous = 2 * index } // cached from the file start
        start = index
        size = Swift.min(contiguous + request, maxPages)
        asyncSize = 1
        return currentWindow
    }

    /// `page_cache_async_ra`: a reader reached the page at `index`, which carried PG_readahead.
    ///
    /// - Parameters:
    ///   - request: pages from `index` to the end of the read (`last_index - folio->index`).
    ///   - nextMiss: the first uncached index at or after its first argument, scanning at most
    ///     `max` pages (`page_cache_next_miss`); return a value past the scan range if none.
    /// - Returns: the pages to bring in, or nil when no readahead happens.
    public mutating func asyncReadahead(index: UInt64, request: UInt64, ioPages: UInt64,
                                        nextMiss: (_ from: UInt64, _ max: UInt64) -> UInt64) -> ReadaheadRequest? {
        if raPages == 0 { return nil }
        let maxPages = Readahead.maxPages(raPages: raPages, request: request, ioPages: ioPages)
        if index == expectedMarker {
            // The expected marker: sequential, push the window forward and ramp it up.
            start += size
            size = Swift.max(size, Readahead.nextSize(size, max: maxPages))
            asyncSize = size
            return currentWindow
        }
        // A marker without matching state (interleaved streams): rebuild from the next miss.
        let next = nextMiss(index + 1, maxPages)
        if next == 0 || next - index > maxPages { return nil }
        start = next
        size = Readahead.nextSize(next - index + request, max: maxPages)
        asyncSize = size
        return currentWindow
    }

    /// mmap read-around (`do_sync_mmap_readahead` without VM_SEQ_READ/VM_RAND_READ): a window of
    /// `raPages` centred on the fault, a quarter of it asynchronous. Returns nil when the file
    /// has missed too often (`mmap_miss > MMAP_LOTSAMISS`) or readahead is off.
    public mutating func mmapReadAround(index: UInt64, raPages readAround: UInt64) -> ReadaheadRequest? {
        if readAround == 0 { return nil }
        if mmapMiss < Readahead.mmapLotsaMiss * 10 { mmapMiss += 1 }
        if mmapMiss > Readahead.mmapLotsaMiss { return nil }
        start = index > readAround / 2 ? index - readAround / 2 : 0
        size = readAround
        asyncSize = readAround / 4
        return currentWindow
    }

    /// A fault found its page cached (`do_async_mmap_readahead`): mmap_miss drops by one.
    public mutating func mmapHit() {
        if mmapMiss > 0 { mmapMiss -= 1 }
    }

    /// The current window as a request.
    public var currentWindow: ReadaheadRequest {
        ReadaheadRequest(start: start, count: size, lookahead: asyncSize)
    }

    /// `prev_pos >> PAGE_SHIFT` (unsigned, so -1 gives a huge index, as in the kernel).
    var prevPageIndex: UInt64 { UInt64(bitPattern: prevPos) >> UInt64(pageShift) }
}
