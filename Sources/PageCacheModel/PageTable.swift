/// One address space's index: page index → resident slot.
///
/// Dense (4 bytes per page up to the highest index stored) while the indices used stay near
/// the table; a far index (more than double the table, or past ``denseLimit``) goes to a
/// dictionary until the dense part grows over it, so sparse spaces stay small.
struct PageTable {
    /// Indices at or above this always use the dictionary (the dense part stays ≤ 1 GiB).
    static let denseLimit: UInt64 = 1 << 28

    private(set) var dense: [Int32] = []
    private(set) var sparse: [UInt32: Int32] = [:]

    /// The slot holding `index`, or -1.
    @inline(__always)
    func slot(at index: UInt64) -> Int32 {
        if index < UInt64(dense.count) { return dense[Int(index)] }
        if sparse.isEmpty { return -1 }
        return sparse[UInt32(truncatingIfNeeded: index)] ?? -1
    }

    /// Records that `index` lives in `slot` (or nothing, for -1).
    mutating func set(_ slot: Int32, at index: UInt64) {
        precondition(index <= UInt64(UInt32.max), "page index \(index) exceeds 2^32")
        if index < UInt64(dense.count) {
            dense[Int(index)] = slot
            return
        }
        if slot < 0 {
            if !sparse.isEmpty { sparse[UInt32(index)] = nil }
            return
        }
        if index < PageTable.denseLimit && index < UInt64(Swift.max(2 * dense.count, 1 << 12)) {
            grow(to: Int(index) + 1)
            dense[Int(index)] = slot
        } else {
            sparse[UInt32(index)] = slot
        }
    }

    /// Grows the dense part to at least `count` entries, by a quarter at a time (not Array's
    /// doubling, to keep the table near the pages used), absorbing dictionary entries it covers.
    private mutating func grow(to count: Int) {
        let newCount = Swift.min(Swift.max(count, dense.count + dense.count / 4, 8), Int(PageTable.denseLimit))
        dense.reserveCapacity(newCount)
        dense.append(contentsOf: repeatElement(-1, count: newCount - dense.count))
        if !sparse.isEmpty {
            for (index, slot) in sparse where Int(index) < newCount {
                dense[Int(index)] = slot
                sparse[index] = nil
            }
        }
    }

    /// Forgets every page.
    mutating func removeAll() {
        dense = []
        sparse = [:]
    }
}
