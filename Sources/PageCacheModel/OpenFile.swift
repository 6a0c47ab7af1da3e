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

/// The simulator's VMA: a window of a file. Which of its pages are mapped is kept in
/// ``Mappings``' bit pool, from `firstBit`.
struct Mapping {
    var openFile: Int32
    var firstPage: UInt64
    var pageCount: UInt64
    var advice: AccessAdvice
    /// Where the window's bits start in the pool (one bit per page: a PTE maps it).
    var firstBit: Int

    func contains(_ page: UInt64) -> Bool { page >= firstPage && page - firstPage < pageCount }

    /// Words of the bit pool the window uses.
    var words: Int { Int((pageCount + 63) / 64) }
}
