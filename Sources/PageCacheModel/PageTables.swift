/// Every address space's index, page index → resident slot, by local space number.
///
/// Each space has a dense run (4 bytes per page up to the highest index stored) while the
/// indices used stay near it; a far index (more than double the run, or past ``denseLimit``)
/// goes to one dictionary shared by all spaces until the run grows over it, so sparse spaces
/// stay small.
///
/// The runs of all spaces lie in one array (`pool`), with per-space start and length: there is
/// no array per space, so copying the tables (a saved replay state diverging from the live one)
/// is a few flat copies, and dropping a state frees a few buffers, not one per space. A run that
/// grows moves to the end of the pool unless it is already last; the holes it leaves are
/// squeezed out once they make up a quarter of the pool.
struct PageTables {
    /// Indices at or above this always use the dictionary (a run stays ≤ 1 GiB).
    static let denseLimit: UInt64 = 1 << 28

    /// The dense runs of every space.
    private(set) var pool: [Int32] = []
    /// Per space: where its run starts in `pool`, and its length.
    private var start: [Int] = []
    private var length: [Int32] = []
    /// Per space: how many of its entries are in `sparse`.
    private var sparseCount: [Int32] = []
    /// Far entries of every space, keyed by space number << 32 | page index.
    private var sparse: [UInt64: Int32] = [:]
    /// Pool entries no run uses (left behind by runs that moved).
    private var holes = 0

    /// The number of spaces.
    var count: Int { start.count }

    /// Rough bytes held.
    var approximateBytes: Int { pool.capacity * 4 + start.count * 16 + sparse.count * 16 }

    /// Adds an empty space; returns its number.
    mutating func addSpace() -> Int {
        start.append(pool.count)
        length.append(0)
        sparseCount.append(0)
        return start.count - 1
    }

    @inline(__always)
    private static func sparseKey(_ space: Int, _ index: UInt64) -> UInt64 { UInt64(space) << 32 | index }

    /// The slot holding page `index` of space `space`, or -1.
    @inline(__always)
    func slot(_ space: Int, at index: UInt64) -> Int32 {
        if index < UInt64(length[space]) { return pool[start[space] + Int(index)] }
        if sparseCount[space] == 0 { return -1 }
        return sparse[Self.sparseKey(space, index)] ?? -1
    }

    /// Records that page `index` of space `space` lives in `slot` (or nothing, for -1).
    mutating func set(_ slot: Int32, space: Int, at index: UInt64) {
        precondition(index <= UInt64(UInt32.max), "page index \(index) exceeds 2^32")
        let n = Int(length[space])
        if index < UInt64(n) {
            pool[start[space] + Int(index)] = slot
            return
        }
        if slot < 0 {
            if sparseCount[space] > 0, sparse.removeValue(forKey: Self.sparseKey(space, index)) != nil { sparseCount[space] -= 1 }
            return
        }
        if index < Self.denseLimit && index < UInt64(Swift.max(2 * n, 1 << 12)) {
            grow(space, to: Int(index) + 1)
            pool[start[space] + Int(index)] = slot
        } else if sparse.updateValue(slot, forKey: Self.sparseKey(space, index)) == nil {
            sparseCount[space] += 1
        }
    }

    /// Grows the run of `space` to at least `needed` entries, by a quarter at a time (to keep
    /// it near the pages used), taking in the dictionary entries it now covers.
    private mutating func grow(_ space: Int, to needed: Int) {
        let old = Int(length[space])
        let new = Swift.min(Swift.max(needed, old + old / 4, 8), Int(Self.denseLimit))
        if start[space] + old == pool.count {
            // The last run: grows in place.
            append(new - old)
        } else {
            if holes + old > pool.count / 4 && pool.count >= 1 << 16 { squeeze() }
            let from = start[space], to = pool.count
            append(new)
            pool.withUnsafeMutableBufferPointer { p in
                for i in 0..<old { p[to + i] = p[from + i] }
            }
            start[space] = to
            holes += old
        }
        length[space] = Int32(new)
        guard sparseCount[space] > 0 else { return }
        let base = start[space]
        if new - old <= sparse.count {
            for i in old..<new {
                if let s = sparse.removeValue(forKey: Self.sparseKey(space, UInt64(i))) {
                    pool[base + i] = s
                    sparseCount[space] -= 1
                }
            }
        } else {
            for (key, s) in sparse where Int(key >> 32) == space && Int(key & 0xFFFF_FFFF) < new {
                pool[base + Int(key & 0xFFFF_FFFF)] = s
                sparse[key] = nil
                sparseCount[space] -= 1
            }
        }
    }

    /// Appends `n` empty entries, growing the pool's capacity by an eighth at a time.
    private mutating func append(_ n: Int) {
        if pool.count + n > pool.capacity { pool.reserveCapacity(pool.count + n + pool.count / 8) }
        pool.append(contentsOf: repeatElement(-1, count: n))
    }

    /// Moves every run to the front, in space order, leaving no holes.
    private mutating func squeeze() {
        let used = pool.count - holes
        var packed = [Int32](repeating: -1, count: used)
        packed.reserveCapacity(used + pool.count / 8)
        // Through raw buffers: a slice of the pool per space retained and released the pool's
        // buffer each time (a third of the squeeze with 100 000 spaces).
        var at = 0
        packed.withUnsafeMutableBufferPointer { dst in
            pool.withUnsafeBufferPointer { src in
                start.withUnsafeMutableBufferPointer { starts in
                    length.withUnsafeBufferPointer { lengths in
                        for space in starts.indices {
                            let s = starts[space], n = Int(lengths[space])
                            starts[space] = at
                            if n > 0 { dst.baseAddress!.advanced(by: at).update(from: src.baseAddress!.advanced(by: s), count: n) }
                            at += n
                        }
                    }
                }
            }
        }
        precondition(at == used, "page table runs and holes disagree")
        pool = packed
        holes = 0
    }

    /// Becomes a copy of `other`, reusing this table's buffers (see `Array.overwrite(with:)`).
    mutating func overwrite(with other: PageTables) {
        pool.overwrite(with: other.pool)
        start.overwrite(with: other.start)
        length.overwrite(with: other.length)
        sparseCount.overwrite(with: other.sparseCount)
        sparse = other.sparse
        holes = other.holes
    }

    /// Forgets every page (the spaces stay).
    mutating func removeAll() {
        pool = []
        for space in start.indices {
            start[space] = 0
            length[space] = 0
            sparseCount[space] = 0
        }
        sparse = [:]
        holes = 0
    }
}
