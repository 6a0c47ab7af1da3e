/// One address space's index: page index → resident slot.
///
/// Dense (4 bytes per page up to the highest index touched) for indices below
/// ``denseLimit``, a dictionary above it, so sparse spaces stay small.
struct PageTable {
    /// Indices below this use the dense array (16 MiB of table, 16 GiB of 4 KiB pages).
    static let denseLimit: UInt64 = 1 << 22

    private(set) var dense: [Int32] = []
    private(set) var sparse: [UInt32: Int32] = [:]

    /// The slot holding `index`, or -1.
    @inline(__always)
    func slot(at index: UInt64) -> Int32 {
        if index < UInt64(dense.count) { return dense[Int(index)] }
        if index < PageTable.denseLimit || sparse.isEmpty { return -1 }
        return sparse[UInt32(truncatingIfNeeded: index)] ?? -1
    }

    /// Records that `index` lives in `slot` (or nothing, for -1).
    mutating func set(_ slot: Int32, at index: UInt64) {
        precondition(index <= UInt64(UInt32.max), "page index \(index) exceeds 2^32")
        if index < PageTable.denseLimit {
            if index >= UInt64(dense.count) {
                if slot < 0 { return }
                let newCount = Swift.min(Swift.max(Int(index) + 1, dense.count * 2, 16), Int(PageTable.denseLimit))
                dense.append(contentsOf: repeatElement(-1, count: newCount - dense.count))
            }
            dense[Int(index)] = slot
        } else if slot < 0 {
            sparse[UInt32(index)] = nil
        } else {
            sparse[UInt32(index)] = slot
        }
    }

    /// Forgets every page.
    mutating func removeAll() {
        dense = []
        sparse = [:]
    }
}
