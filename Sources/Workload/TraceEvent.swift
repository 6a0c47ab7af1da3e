/// Trace event model shared by all workload formats.
///
/// Events are deliberately low level: they say what a process did (open, read, mmap, ...)
/// or what the kernel's page cache did (page added, page deleted, fault, map-around),
/// never what it *means* for a particular image. Mapping paths / (device, inode) pairs
/// to images and containers is the caller's job.

/// A file, named either by path (as the traced process wrote it) or by EROFS node id.
///
/// On 64-bit kernels EROFS sets `i_ino` to the node id, so an ftrace `ino` is a `.nid`.
public enum FileRef: Hashable, Sendable, CustomStringConvertible {
    case path(String)
    case nid(UInt64)

    public var description: String {
        switch self {
        case .path(let p): return p
        case .nid(let n): return "nid \(n)"
        }
    }
}

/// What a page-level event applies to: a file (optionally on a specific device,
/// `"major:minor"`) or a handle returned by an earlier `.open`.
public enum FileTarget: Hashable, Sendable {
    case file(FileRef, device: String?)
    case handle(Int64)
}

public struct TraceEvent: Sendable, Equatable {
    /// Seconds. The origin depends on the source (epoch, seconds since midnight,
    /// seconds since boot, or whatever a native trace chose); only differences matter.
    public var time: Double?
    /// Container the event belongs to; `nil` means the trace's default container.
    public var container: String?
    /// Process (strace pid, ftrace task pid) when the source records one.
    public var pid: Int32?
    /// 1-based source line the event came from (0 if synthesised).
    public var line: Int
    public var kind: Kind

    public init(time: Double? = nil, container: String? = nil, pid: Int32? = nil, line: Int = 0, kind: Kind) {
        self.time = time
        self.container = container
        self.pid = pid
        self.line = line
        self.kind = kind
    }

    /// All offsets and lengths are bytes unless the label says `page` (page indices,
    /// in units of `TraceLimits.pageSize`). Handles are scoped by (container, handle).
    public enum Kind: Sendable, Equatable {
        /// A file was opened; later events refer to it through `handle`.
        case open(file: FileRef, handle: Int64)
        /// `read(2)`: `offset == nil` means "at the handle's current position", which then
        /// advances by `length`. Parsers that can track positions (strace) fill `offset` in.
        case read(handle: Int64, offset: UInt64?, length: UInt64)
        /// `pread(2)`: explicit offset, the position does not move.
        case pread(handle: Int64, offset: UInt64, length: UInt64)
        /// `mmap(2)` of `length` bytes of the file starting at `offset`; `address` is where
        /// it was mapped, when known.
        case mmap(handle: Int64, offset: UInt64, length: UInt64, address: UInt64?)
        /// A page fault on file page `page` (ftrace `mm_filemap_fault`).
        case fault(FileTarget, page: UInt64)
        /// Fault-around / `filemap_map_pages`: pages `first...last` (inclusive) were mapped.
        case mapPages(FileTarget, first: UInt64, last: UInt64)
        /// `filemap_get_pages`: a buffered read looked up pages `first...last` (inclusive).
        case getPages(FileTarget, first: UInt64, last: UInt64)
        case close(handle: Int64)
        /// `count` pages starting at `page` entered the page cache (a folio of order n has
        /// `count == 1 << n`).
        case pageAdd(file: FileRef, device: String?, page: UInt64, count: UInt64)
        /// `count` pages starting at `page` left the page cache.
        case pageDelete(file: FileRef, device: String?, page: UInt64, count: UInt64)
        /// A directory was listed.
        case dirRead(FileRef)
        /// Free text (markers, phase names); replays may show it and otherwise ignore it.
        case note(String)

        public var name: EventKindName {
            switch self {
            case .open: return .open
            case .read: return .read
            case .pread: return .pread
            case .mmap: return .mmap
            case .fault: return .fault
            case .mapPages: return .map
            case .getPages: return .get
            case .close: return .close
            case .pageAdd: return .add
            case .pageDelete: return .delete
            case .dirRead: return .readdir
            case .note: return .note
            }
        }
    }
}

/// Event kind names; the raw values are the native format's `ev` strings.
public enum EventKindName: String, CaseIterable, Sendable, Hashable, Comparable {
    case open, read, pread, mmap, fault, map, get, close, add, delete, readdir, note

    public static func < (a: EventKindName, b: EventKindName) -> Bool { a.ordinal < b.ordinal }

    /// Position in `allCases`.
    public var ordinal: Int {
        switch self {
        case .open: return 0
        case .read: return 1
        case .pread: return 2
        case .mmap: return 3
        case .fault: return 4
        case .map: return 5
        case .get: return 6
        case .close: return 7
        case .add: return 8
        case .delete: return 9
        case .readdir: return 10
        case .note: return 11
        }
    }
}

/// Documented limits applied by every parser.
public enum TraceLimits {
    /// Page size used to convert byte offsets to page indices (ftrace `ofs`, native `off`
    /// on page events). EROFS and the page cache model use 4 KiB pages.
    public static let pageSize: UInt64 = 4096
    public static let pageShift: UInt64 = 12
    /// Largest length an event may carry; longer lengths are clamped to this with a warning.
    public static let maxLength: UInt64 = 1 << 40 // 1 TiB
    /// Offsets, and offset + length, must fit in a signed 64-bit `loff_t`.
    public static let maxOffset: UInt64 = UInt64(Int64.max)
    /// Lines longer than this are reported and skipped (protects against binary junk).
    public static let maxLineBytes = 1 << 20
    /// Largest folio order accepted from ftrace (2^20 pages = 4 GiB folios).
    public static let maxFolioOrder: UInt64 = 20
    /// Diagnostics kept per trace; later ones are only counted in `TraceSummary`, so a file of
    /// junk cannot grow memory without bound.
    public static let maxDiagnostics = 10_000
}
