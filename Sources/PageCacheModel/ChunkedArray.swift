/// An array kept in chunks of 4 096 elements: a copy shares every chunk, and a change copies
/// only the chunk it touches. Saved replay states are copies of the live one, so the live
/// state's first changes after a save or a restore copy a few chunks, not whole tables of
/// per-page, per-file or per-handle records (and no fresh memory for all of them at once).
///
/// Reads go through a plain pointer per chunk (no reference counting on the hot path); a write
/// first makes its chunk unique, copying it when a saved state still holds it.
struct ChunkedArray<Element: BitwiseCopyable>: RandomAccessCollection, MutableCollection {
    static var shift: Int { 12 }
    static var chunkSize: Int { 1 << shift }
    static var mask: Int { chunkSize - 1 }

    /// Owns the storage of one chunk (plain values: nothing to deinitialize).
    final class Chunk {
        let base: UnsafeMutablePointer<Element>

        init() { base = .allocate(capacity: ChunkedArray.chunkSize) }

        /// A copy of the first `count` elements of `other`.
        init(copying other: Chunk, count: Int) {
            base = .allocate(capacity: ChunkedArray.chunkSize)
            base.initialize(from: other.base, count: count)
        }

        deinit { base.deallocate() }
    }

    private var chunks: [Chunk] = []
    /// `chunks[c].base`, kept beside them so reads touch no reference.
    private var bases: [UnsafeMutablePointer<Element>] = []
    private(set) var count = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "index \(i) out of range")
            return bases[i >> Self.shift][i & Self.mask]
        }
        _modify {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "index \(i) out of range")
            let c = i >> Self.shift
            makeUnique(c)
            yield &bases[c][i & Self.mask]
        }
    }

    /// Copies chunk `c` if a copy of this array still shares it.
    @inline(__always)
    private mutating func makeUnique(_ c: Int) {
        if !isKnownUniquelyReferenced(&chunks[c]) {
            let copy = Chunk(copying: chunks[c], count: Swift.min(Self.chunkSize, count - c << Self.shift))
            chunks[c] = copy
            bases[c] = copy.base
        }
    }

    /// Adds `element` at the end.
    @inline(__always)
    mutating func append(_ element: Element) {
        let j = count & Self.mask
        if j == 0 {
            let chunk = Chunk()
            chunks.append(chunk)
            bases.append(chunk.base)
        } else {
            makeUnique(chunks.count - 1)
        }
        (bases[bases.count - 1] + j).initialize(to: element)
        count += 1
    }

    /// Adds `n` copies of `element` at the end, a chunk at a time.
    mutating func append(repeating element: Element, count n: Int) {
        var left = n
        while left > 0 {
            let j = count & Self.mask
            if j == 0 {
                let chunk = Chunk()
                chunks.append(chunk)
                bases.append(chunk.base)
            } else {
                makeUnique(chunks.count - 1)
            }
            let run = Swift.min(left, Self.chunkSize - j)
            (bases[bases.count - 1] + j).initialize(repeating: element, count: run)
            count += run
            left -= run
        }
    }

    /// Adds the repeated value at the end, a chunk at a time.
    mutating func append(contentsOf elements: Repeated<Element>) {
        append(repeating: elements.repeatedValue, count: elements.count)
    }

    /// Adds `elements` at the end.
    mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
        for e in elements { append(e) }
    }

    /// Removes every element (chunks are not kept: a copy may share them).
    mutating func removeAll(keepingCapacity: Bool = false) {
        chunks = []
        bases = []
        count = 0
    }

    /// Room for this many elements without a new chunk.
    var capacity: Int { chunks.count << Self.shift }

    /// Nothing to reserve: chunks are made as elements arrive (kept for `Array`'s callers).
    mutating func reserveCapacity(_ n: Int) {}

    /// Stores `element` in the last freed slot when there is one, else appends it, and returns
    /// its index (see `Array.store(_:reusing:)`).
    @inline(__always)
    mutating func store(_ element: Element, reusing free: inout [Int32]) -> Int32 {
        if let index = free.popLast() {
            self[Int(index)] = element
            return index
        }
        append(element)
        return Int32(count - 1)
    }
}

// The model's plain records that live in chunked arrays (public types say so explicitly).
extension AddressSpaceID: BitwiseCopyable {}
extension ContainerID: BitwiseCopyable {}
extension FileID: BitwiseCopyable {}
extension CategoryCounts: BitwiseCopyable {}
extension FileStatistics: BitwiseCopyable {}
extension ReadaheadState: BitwiseCopyable {}
extension PageCategory: BitwiseCopyable {}
extension AccessAdvice: BitwiseCopyable {}
