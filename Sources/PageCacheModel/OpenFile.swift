/// An open file description (`struct file`) returned by ``CacheSimulator/open(_:_:advice:)``.
public struct OpenFileID: Hashable, Sendable, CustomStringConvertible {
    /// The simulator's index of the open file. Equal across the simulators of a
    /// ``MultiPolicySimulator`` because they see the same operations.
    public let rawValue: Int32

    /// Wraps a raw index.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public var description: String { "fd#\(rawValue)" }
}

/// A memory mapping (VMA) returned by ``CacheSimulator/mmap(_:offset:length:advice:)``.
public struct MappingID: Hashable, Sendable, CustomStringConvertible {
    /// The simulator's index of the mapping.
    public let rawValue: Int32

    /// Wraps a raw index.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public var description: String { "vma#\(rawValue)" }
}

/// Access-pattern advice: `posix_fadvise` for open files, `madvise` for mappings.
public enum AccessAdvice: Hashable, Sendable {
    /// No advice: on-demand readahead, mmap read-around.
    case normal
    /// POSIX_FADV_SEQUENTIAL (doubles `ra_pages`) / MADV_SEQUENTIAL (VM_SEQ_READ: sync readahead on faults).
    case sequential
    /// POSIX_FADV_RANDOM (reads bring exactly what they ask) / MADV_RANDOM (VM_RAND_READ: no fault readahead).
    case random
}

/// The simulator's `struct file`: who opened what, the file position and `f_ra`.
struct OpenFile {
    var container: ContainerID
    var file: FileID
    var category: PageCategory
    var position: UInt64 = 0
    var readahead: ReadaheadState
    /// Open through a handle (not yet closed).
    var isOpen = true
    /// Live mappings that keep the file alive after close.
    var mappingCount = 0
}

/// The simulator's VMA: a window of a file and which of its pages are mapped.
struct Mapping {
    var openFile: Int32
    var firstPage: UInt64
    var pageCount: UInt64
    var advice: AccessAdvice
    /// One bit per page of the window: a PTE maps it.
    var mapped: [UInt64]

    init(openFile: Int32, firstPage: UInt64, pageCount: UInt64, advice: AccessAdvice) {
        self.openFile = openFile
        self.firstPage = firstPage
        self.pageCount = pageCount
        self.advice = advice
        self.mapped = [UInt64](repeating: 0, count: Int((pageCount + 63) / 64))
    }

    func contains(_ page: UInt64) -> Bool { page >= firstPage && page - firstPage < pageCount }

    func isMapped(_ page: UInt64) -> Bool {
        let o = page - firstPage
        return mapped[Int(o >> 6)] & (1 << (o & 63)) != 0
    }

    mutating func setMapped(_ page: UInt64, _ value: Bool) {
        let o = page - firstPage
        if value { mapped[Int(o >> 6)] |= 1 << (o & 63) } else { mapped[Int(o >> 6)] &= ~(1 << (o & 63)) }
    }

    mutating func unmapAll() {
        for i in mapped.indices { mapped[i] = 0 }
    }
}
