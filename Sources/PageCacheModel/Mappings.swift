/// Every mapping of a simulator, with which pages of each a PTE maps.
///
/// The windows are plain values and all their bits lie in one pool, both chunked, so a saved
/// replay state diverging from the live one copies the chunks it changes, with no reference per
/// mapping. An unmapped window's bits become a hole, squeezed out once holes are half the pool.
struct Mappings {
    /// By mapping id; nil once unmapped.
    private(set) var windows = ChunkedArray<Mapping?>()
    private var free: [Int32] = []
    private var bits = ChunkedArray<UInt64>()
    private var holes = 0

    /// The number of ids handed out (live or not).
    var count: Int { windows.count }

    /// Rough bytes held.
    var approximateBytes: Int { windows.count * MemoryLayout<Mapping?>.stride + bits.count * 8 + free.count * 4 }

    /// The mapping with id `index`, if live.
    @inline(__always)
    subscript(index: Int) -> Mapping? { windows[index] }

    /// Maps `pageCount` pages of open file `openFile` from `firstPage`, none of them mapped yet;
    /// returns the id (the last freed one when there is one, as the kernel reuses fds).
    mutating func add(openFile: Int32, firstPage: UInt64, pageCount: UInt64, advice: AccessAdvice) -> Int32 {
        let m = Mapping(openFile: openFile, firstPage: firstPage, pageCount: pageCount, advice: advice, firstBit: bits.count)
        bits.append(repeating: 0, count: m.words)
        return windows.store(m, reusing: &free)
    }

    /// Unmaps `index`; returns what it was.
    mutating func remove(_ index: Int) -> Mapping? {
        guard let m = windows[index] else { return nil }
        windows[index] = nil
        free.append(Int32(index))
        holes += m.words
        if holes > bits.count / 2 && bits.count >= 1 << 14 { squeeze() }
        return m
    }

    /// Whether a PTE of mapping `m` maps `page` (inside its window).
    @inline(__always)
    func isMapped(_ m: Mapping, _ page: UInt64) -> Bool {
        let o = page - m.firstPage
        return bits[m.firstBit + Int(o >> 6)] & (1 << (o & 63)) != 0
    }

    /// Sets whether a PTE of mapping `m` maps `page` (inside its window).
    @inline(__always)
    mutating func setMapped(_ m: Mapping, _ page: UInt64, _ value: Bool) {
        let o = page - m.firstPage
        let w = m.firstBit + Int(o >> 6)
        if value { bits[w] |= 1 << (o & 63) } else { bits[w] &= ~(1 << (o & 63)) }
    }

    /// Clears every PTE of every mapping (the windows stay).
    mutating func unmapAll() {
        for i in bits.indices { bits[i] = 0 }
    }

    /// Moves the live windows' bits to the front, in id order.
    private mutating func squeeze() {
        var packed = ChunkedArray<UInt64>()
        for i in windows.indices {
            guard var m = windows[i] else { continue }
            packed.append(contentsOf: bits[m.firstBit..<(m.firstBit + m.words)])
            m.firstBit = packed.count - m.words
            windows[i] = m
        }
        bits = packed
        holes = 0
    }
}
