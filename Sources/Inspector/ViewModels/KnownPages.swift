import PageCacheModel

/// The page keys residency figures follow, by dense index: whether each is resident, which
/// files map a page to it, and which blobs include it (with how many pages of counted files).
struct KnownPages {
    struct BlobUse {
        var blob: Int32
        var references: Int32
    }
    private var indexes: [PageKey: Int32] = [:]
    private(set) var keys: [PageKey] = []
    var isResident: [Bool] = []
    var files: [[Int32]] = []
    var blobs: [[BlobUse]] = []

    var count: Int { keys.count }

    func index(of key: PageKey) -> Int? { indexes[key].map(Int.init) }

    /// The index of `key`, added (with its residency now) on first sight.
    mutating func intern(_ key: PageKey, _ sim: CacheSimulator) -> Int32 {
        if let k = indexes[key] { return k }
        let k = Int32(keys.count)
        indexes[key] = k
        keys.append(key)
        isResident.append(sim.isResident(key))
        files.append([])
        blobs.append([])
        return k
    }
}

/// What residency figures know of each model file, by file id, in flat arrays: whether it is
/// known and counted, its resident pages, what it adds to the totals now, and where its counts
/// go (its catalog entry, its shared groups, its blob and the
/// blob's page keys).
struct KnownFiles {
    private(set) var isKnown: [Bool] = []
    var counted: [Bool] = []
    var isTouched: [Bool] = []
    /// Resident pages as the file's first container sees them (counted or not).
    var pages: [UInt64] = []
    /// Pages the file adds to the totals now.
    var contributed: [UInt64] = []
    private(set) var image: [Int32] = []
    private(set) var blob: [Int32] = []
    /// The file's catalog entry in the figures' flat numbering, or -1.
    private(set) var entry: [Int32] = []
    private var groupStart: [Int32] = []
    private var groupCount: [Int32] = []
    private(set) var groupList: [Int32] = []
    private var blobKeyStart: [Int32] = []
    private var blobKeyCount: [Int32] = []
    private var blobKeyList: [Int32] = []

    var count: Int { isKnown.count }

    /// Makes room for file ids below `total`.
    mutating func grow(to total: Int) {
        let more = total - isKnown.count
        guard more > 0 else { return }
        isKnown.append(contentsOf: repeatElement(false, count: more))
        counted.append(contentsOf: repeatElement(false, count: more))
        isTouched.append(contentsOf: repeatElement(false, count: more))
        pages.append(contentsOf: repeatElement(0, count: more))
        contributed.append(contentsOf: repeatElement(0, count: more))
        image.append(contentsOf: repeatElement(0, count: more))
        blob.append(contentsOf: repeatElement(-1, count: more))
        entry.append(contentsOf: repeatElement(-1, count: more))
        for list in [\KnownFiles.groupStart, \.groupCount, \.blobKeyStart, \.blobKeyCount] {
            self[keyPath: list].append(contentsOf: repeatElement(0, count: more))
        }
    }

    mutating func learn(_ i: Int, image: Int, blob: Int32, pages: UInt64, entry: Int32, groups: [Int32], blobKeys: [Int32]) {
        isKnown[i] = true
        self.image[i] = Int32(image)
        self.blob[i] = blob
        self.pages[i] = pages
        self.entry[i] = entry
        (groupStart[i], groupCount[i]) = (Int32(groupList.count), Int32(groups.count))
        groupList.append(contentsOf: groups)
        (blobKeyStart[i], blobKeyCount[i]) = (Int32(blobKeyList.count), Int32(blobKeys.count))
        blobKeyList.append(contentsOf: blobKeys)
    }

    @inline(__always) func groupRange(of i: Int) -> Range<Int> { Int(groupStart[i])..<Int(groupStart[i] + groupCount[i]) }
    func blobKeys(of i: Int) -> ArraySlice<Int32> { blobKeyList[Int(blobKeyStart[i])..<Int(blobKeyStart[i] + blobKeyCount[i])] }
}
