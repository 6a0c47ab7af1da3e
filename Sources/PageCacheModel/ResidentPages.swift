/// The resident pages: a slot per cached page in parallel arrays, threaded on one LRU list.
///
/// Per resident page this costs 19 bytes of slot (prev, next, space, index, owner, flags) plus
/// 4 bytes of ``PageTable`` entry, with no allocation per page: slots are recycled through a
/// free list. The list head is the most recently used page, the tail the eviction victim.
struct ResidentPages {
    /// Slot flag bits.
    enum Flag {
        /// PG_readahead: consuming this page triggers asynchronous readahead.
        static let readahead: UInt8 = 0x01
        /// Added during the current operation (so accesses to it in this operation miss).
        static let fresh: UInt8 = 0x02
        /// Shift of the two ``PageCategory`` bits.
        static let categoryShift: UInt8 = 2
        static let categoryMask: UInt8 = 0x0C
        /// Accessed by a container other than the one charged for it.
        static let sharedAccess: UInt8 = 0x10
    }

    private(set) var prev: [Int32] = []
    private(set) var next: [Int32] = []
    private(set) var space: [UInt32] = []
    private(set) var index: [UInt32] = []
    var owner: [UInt16] = []
    var flags: [UInt8] = []
    private var freeHead: Int32 = -1
    /// Most recently used slot, or -1.
    private(set) var head: Int32 = -1
    /// Least recently used slot (the next victim), or -1.
    private(set) var tail: Int32 = -1
    /// The number of resident pages.
    private(set) var count = 0
    private var tables: [PageTable] = []

    /// The slot of `key`, or -1 when it is not resident.
    @inline(__always)
    func lookup(_ key: PageKey) -> Int32 {
        let s = Int(key.space.rawValue)
        if s >= tables.count { return -1 }
        return tables[s].slot(at: key.index)
    }

    /// The key stored in `slot`.
    func key(of slot: Int32) -> PageKey {
        PageKey(space: AddressSpaceID(space[Int(slot)]), index: UInt64(index[Int(slot)]))
    }

    /// The category bits of `slot`.
    @inline(__always)
    func category(of slot: Int32) -> PageCategory {
        PageCategory(rawValue: Int((flags[Int(slot)] & Flag.categoryMask) >> Flag.categoryShift))!
    }

    /// Makes `key` resident as the most recently used page and returns its slot.
    mutating func insert(_ key: PageKey, owner: ContainerID, flags newFlags: UInt8) -> Int32 {
        let slot: Int32
        if freeHead >= 0 {
            slot = freeHead
            freeHead = next[Int(slot)]
            let i = Int(slot)
            space[i] = key.space.rawValue
            index[i] = UInt32(key.index)
            self.owner[i] = owner.rawValue
            flags[i] = newFlags
            prev[i] = -1
            next[i] = -1
        } else {
            slot = Int32(prev.count)
            prev.append(-1)
            next.append(-1)
            space.append(key.space.rawValue)
            index.append(UInt32(key.index))
            self.owner.append(owner.rawValue)
            flags.append(newFlags)
        }
        let s = Int(key.space.rawValue)
        if s >= tables.count {
            tables.append(contentsOf: repeatElement(PageTable(), count: s + 1 - tables.count))
        }
        tables[s].set(slot, at: key.index)
        linkAtHead(slot)
        count += 1
        return slot
    }

    /// Moves `slot` to the most recently used end.
    @inline(__always)
    mutating func touch(_ slot: Int32) {
        if head == slot { return }
        unlink(slot)
        linkAtHead(slot)
    }

    /// Removes `slot` from the cache and recycles it.
    mutating func remove(_ slot: Int32) {
        let i = Int(slot)
        unlink(slot)
        tables[Int(space[i])].set(-1, at: UInt64(index[i]))
        flags[i] = 0
        next[i] = freeHead
        freeHead = slot
        count -= 1
    }

    /// Empties the cache (keeping array capacity).
    mutating func removeAll() {
        prev.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        space.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        owner.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        for i in tables.indices { tables[i].removeAll() }
        freeHead = -1
        head = -1
        tail = -1
        count = 0
    }

    /// Resident slots from least to most recently used.
    func slotsFromLeastRecent() -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count)
        var s = tail
        while s >= 0 {
            result.append(s)
            s = prev[Int(s)]
        }
        return result
    }

    private mutating func unlink(_ slot: Int32) {
        let i = Int(slot)
        let p = prev[i], n = next[i]
        if p >= 0 { next[Int(p)] = n } else { head = n }
        if n >= 0 { prev[Int(n)] = p } else { tail = p }
        prev[i] = -1
        next[i] = -1
    }

    private mutating func linkAtHead(_ slot: Int32) {
        let i = Int(slot)
        prev[i] = -1
        next[i] = head
        if head >= 0 { prev[Int(head)] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}
