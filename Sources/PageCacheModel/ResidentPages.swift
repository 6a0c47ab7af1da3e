/// The resident pages: a slot per cached page in parallel arrays, threaded on one LRU list.
///
/// Per resident page this costs 11 bytes of slot (space, index, owner, flags), 8 more for the
/// LRU links when recency is tracked (only needed under a capacity), plus 4 bytes of
/// ``PageTables`` entry, with no allocation per page: slots are recycled through a free stack.
/// The list head is the most recently used page, the tail the eviction victim.
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
        /// The slot holds a page (not on the free stack).
        static let live: UInt8 = 0x20
    }

    /// Whether the LRU links are kept (needed for eviction and ``slotsFromLeastRecent()``).
    let tracksRecency: Bool

    private(set) var prev: [Int32] = []
    private(set) var next: [Int32] = []
    /// Local space numbers (see ``makeLocal(_:)``).
    private(set) var space: [UInt32] = []
    private(set) var index: [UInt32] = []
    var owner: [UInt16] = []
    var flags: [UInt8] = []
    private var freeSlots: [Int32] = []
    /// Most recently used slot, or -1.
    private(set) var head: Int32 = -1
    /// Least recently used slot (the next victim), or -1.
    private(set) var tail: Int32 = -1
    /// The number of resident pages.
    private(set) var count = 0
    /// The index of every space this cache has seen, by local number.
    private var tables = PageTables()
    /// Registry space ID → local number (-1: never seen). Local numbers keep per-space tables
    /// dense per simulator when several policies share one registry.
    private(set) var localNumbers: [Int32] = []
    /// Local number → registry space ID.
    private(set) var spaceIDs: [AddressSpaceID] = []

    /// Rough bytes held: the slot arrays and every space's index.
    var approximateBytes: Int {
        prev.count * 4 + next.count * 4 + space.count * 4 + index.count * 4 + owner.count * 2 + flags.count +
            localNumbers.count * 4 + tables.approximateBytes
    }

    /// An empty set; `tracksRecency` keeps the LRU list.
    init(tracksRecency: Bool) { self.tracksRecency = tracksRecency }

    /// The slot of `key`, or -1 when it is not resident.
    @inline(__always)
    func lookup(_ key: PageKey) -> Int32 {
        let l = local(of: key.space)
        if l < 0 { return -1 }
        return tables.slot(l, at: key.index)
    }

    /// The local number of `space`, or -1 if this cache has never seen it.
    @inline(__always)
    func local(of space: AddressSpaceID) -> Int {
        let g = Int(space.rawValue)
        return g < localNumbers.count ? Int(localNumbers[g]) : -1
    }

    /// The local number of `space`, allocating one on first sight.
    mutating func makeLocal(_ space: AddressSpaceID) -> Int {
        let g = Int(space.rawValue)
        if g >= localNumbers.count {
            localNumbers.append(contentsOf: repeatElement(-1, count: g + 1 - localNumbers.count))
        }
        if localNumbers[g] >= 0 { return Int(localNumbers[g]) }
        localNumbers[g] = Int32(spaceIDs.count)
        spaceIDs.append(space)
        _ = tables.addSpace()
        return spaceIDs.count - 1
    }

    /// The local space number of the page in `slot`.
    @inline(__always)
    func localSpace(of slot: Int32) -> Int { Int(space[Int(slot)]) }

    /// The key stored in `slot`.
    func key(of slot: Int32) -> PageKey {
        PageKey(space: spaceIDs[Int(space[Int(slot)])], index: UInt64(index[Int(slot)]))
    }

    /// The category bits of `slot`.
    @inline(__always)
    func category(of slot: Int32) -> PageCategory {
        PageCategory(rawValue: Int((flags[Int(slot)] & Flag.categoryMask) >> Flag.categoryShift))!
    }

    /// Makes `key` resident as the most recently used page and returns its slot.
    mutating func insert(_ key: PageKey, owner: ContainerID, flags newFlags: UInt8) -> Int32 {
        let slot: Int32
        let newFlags = newFlags | Flag.live
        let l = makeLocal(key.space)
        if let free = freeSlots.popLast() {
            slot = free
            let i = Int(slot)
            space[i] = UInt32(l)
            index[i] = UInt32(key.index)
            self.owner[i] = owner.rawValue
            flags[i] = newFlags
        } else {
            slot = Int32(space.count)
            if space.count == space.capacity { reserve(space.count + space.count / 4 + 64) }
            if tracksRecency {
                prev.append(-1)
                next.append(-1)
            }
            space.append(UInt32(l))
            index.append(UInt32(key.index))
            self.owner.append(owner.rawValue)
            flags.append(newFlags)
        }
        tables.set(slot, space: l, at: key.index)
        if tracksRecency { linkAtHead(slot) }
        count += 1
        return slot
    }

    /// Grows every slot array to `capacity` slots. Growing by a quarter instead of Array's
    /// doubling keeps the slack, and so the memory per resident page, low.
    mutating func reserve(_ capacity: Int) {
        if tracksRecency {
            prev.reserveCapacity(capacity)
            next.reserveCapacity(capacity)
        }
        space.reserveCapacity(capacity)
        index.reserveCapacity(capacity)
        owner.reserveCapacity(capacity)
        flags.reserveCapacity(capacity)
    }

    /// Moves `slot` to the most recently used end.
    @inline(__always)
    mutating func touch(_ slot: Int32) {
        if !tracksRecency || head == slot { return }
        unlink(slot)
        linkAtHead(slot)
    }

    /// Removes `slot` from the cache and recycles it.
    mutating func remove(_ slot: Int32) {
        let i = Int(slot)
        if tracksRecency { unlink(slot) }
        tables.set(-1, space: Int(space[i]), at: UInt64(index[i]))
        flags[i] = 0
        freeSlots.append(slot)
        count -= 1
    }

    /// Becomes a copy of `other` (a saved state of the same cache), copying into this set's own
    /// buffers (see `Array.overwrite(with:)`): a replay that goes on from a restored state
    /// changes all of them within its first few pages.
    mutating func overwrite(with other: ResidentPages) {
        precondition(tracksRecency == other.tracksRecency, "state of a cache with another configuration")
        prev.overwrite(with: other.prev)
        next.overwrite(with: other.next)
        space.overwrite(with: other.space)
        index.overwrite(with: other.index)
        owner.overwrite(with: other.owner)
        flags.overwrite(with: other.flags)
        freeSlots.overwrite(with: other.freeSlots)
        head = other.head
        tail = other.tail
        count = other.count
        tables.overwrite(with: other.tables)
        localNumbers.overwrite(with: other.localNumbers)
        spaceIDs.overwrite(with: other.spaceIDs)
    }

    /// Empties the cache (keeping array capacity).
    mutating func removeAll() {
        prev.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        space.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        owner.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        tables.removeAll()
        freeSlots.removeAll()
        head = -1
        tail = -1
        count = 0
    }

    /// Resident slots from least to most recently used (in slot order without recency).
    func slotsFromLeastRecent() -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count)
        if !tracksRecency {
            for i in flags.indices where flags[i] & Flag.live != 0 { result.append(Int32(i)) }
            return result
        }
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
