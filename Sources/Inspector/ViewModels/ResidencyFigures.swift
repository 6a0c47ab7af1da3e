import EROFS
import PageCacheModel

/// The residency figures a dashboard shows under one design — per-entry and per-blob resident
/// pages of each image (``Session/residencySnapshot(design:)``), each blob's cached bytes
/// (``Session/residentBytesByBlob(design:)``) and each shared group's resident pages — kept up
/// to date from the simulator's residency log: only the pages that came in or left since the
/// last update, and the files the replay started or stopped using, are looked at.
///
/// A file's page keys are worked out once, the first time it counts, and kept by dense index
/// (``KnownPages``), with where its counts go (``KnownFiles``): after a seek the files used at
/// the new position start or stop counting without asking the design for their keys again, and
/// after a restored checkpoint or dropped caches the known keys' residency is compared with the
/// simulator's. The totals are then adjusted file by file, or summed again in one pass over
/// flat arrays after a large change. Starts from scratch only for another model (new
/// settings). The figures equal the from-scratch computation's at all times
/// (`ResidencyFiguresTests`).
final class ResidencyFigures {
    let session: Session
    let design: SharingDesign
    /// Per catalog entry of every image (image `i` from `entryBase[i]`): the entry's own
    /// resident data pages (a file's; directories hold none of their own).
    @exclusivity(unchecked) private var entryPages: [UInt64]
    /// Per catalog entry: resident data pages of its subtree, summed from `entryPages` when
    /// asked for after a change (one pass over the entries, parents before children).
    @exclusivity(unchecked) private var subtreePages: [UInt64]
    private var subtreesAreStale = true
    /// Per catalog entry: its parent's index in the same flat numbering (-1 for each root).
    private let parentEntry: [Int32]
    private let entryBase: [Int]
    /// Per image, per blob index: resident pages of the image's files in that blob.
    private var imageBlobPages: [[UInt64]]
    /// Distinct resident pages per blob index (see `blobNames`), of counted files.
    private var blobPages: [Int] = []
    private var blobNames: [String] = []
    private var blobIndexes: [String: Int] = [:]
    /// Resident pages of the members of each shared group (each member as its first container sees it).
    @exclusivity(unchecked) private(set) var groupPages: [UInt64]
    /// Groups whose `groupPages` changed since `takeChangedGroups()`, each listed once
    /// (`groupIsChanged` says which are listed).
    private var changedGroups: [Int] = []
    @exclusivity(unchecked) private var groupIsChanged: [Bool]
    private let groupsOfFile: [SessionFile: [Int]]

    @exclusivity(unchecked) private var pages = KnownPages()
    @exclusivity(unchecked) private var files = KnownFiles()
    /// Files whose resident pages or counting changed since the totals were last brought in line.
    @exclusivity(unchecked) private var touched: [Int32] = []
    /// Above this many touched files, the totals are summed again from every file in one pass
    /// rather than adjusted file by file; nil: above half the known files (both paths then
    /// cost about the same, and adjusting touches only what changed).
    /// (Tests set it to 0 to take the summing path every time.)
    nonisolated(unsafe) static var resumThreshold: Int? = nil

    private var simulator: CacheSimulator?
    private var registrar: FileRegistrar?
    private var mark: CacheSimulator.ResidencyMark?
    private var position = -1

    init(session: Session, design: SharingDesign, groupFiles: [[SessionFile]]) {
        self.session = session
        self.design = design
        var base: [Int] = []
        var parents: [Int32] = []
        var total = 0
        for catalog in session.catalogs {
            base.append(total)
            // A catalog lists each directory before its entries (walk order), so one backward
            // pass adds every subtree into its parent.
            for (e, entry) in catalog.entries.enumerated() {
                precondition(e == 0 || entry.parent < e, "catalog entry \(e) listed before its parent")
                parents.append(e == 0 ? -1 : Int32(total + entry.parent))
            }
            total += catalog.entries.count
        }
        entryBase = base
        parentEntry = parents
        entryPages = Array(repeating: 0, count: total)
        subtreePages = Array(repeating: 0, count: total)
        imageBlobPages = Array(repeating: [], count: session.catalogs.count)
        groupPages = Array(repeating: 0, count: groupFiles.count)
        groupIsChanged = Array(repeating: false, count: groupFiles.count)
        var map: [SessionFile: [Int]] = [:]
        for (g, files) in groupFiles.enumerated() { for f in files { map[f, default: []].append(g) } }
        groupsOfFile = map
    }

    /// Resident data pages of catalog entry `entry` of `image` (a directory: its subtree).
    func residentPages(image: Int, entry: Int) -> UInt64 {
        sumSubtrees()
        return subtreePages[entryBase[image] + entry]
    }

    /// Brings `subtreePages` in line with `entryPages`.
    private func sumSubtrees() {
        guard subtreesAreStale else { return }
        subtreesAreStale = false
        subtreePages.withUnsafeMutableBufferPointer { sums in
            entryPages.withUnsafeBufferPointer { own in
                parentEntry.withUnsafeBufferPointer { parent in
                    _ = sums.update(fromContentsOf: own)
                    for e in stride(from: sums.count - 1, through: 0, by: -1) where parent[e] >= 0 {
                        sums[Int(parent[e])] &+= sums[e]
                    }
                }
            }
        }
    }

    /// Per image, as ``Session/residencySnapshot(design:)`` computes it (zero counts left out).
    var snapshots: [ResidencySnapshot] {
        sumSubtrees()
        return session.catalogs.indices.map { image in
            var snapshot = ResidencySnapshot()
            for entry in session.catalogs[image].entries.indices {
                let n = subtreePages[entryBase[image] + entry]
                if n > 0 { snapshot.residentPages[entry] = n }
            }
            for (b, n) in imageBlobPages[image].enumerated() where n > 0 { snapshot.residentPagesByBlob[blobNames[b]] = n }
            return snapshot
        }
    }

    /// Cached bytes per blob name (blobs with nothing cached left out).
    var residentBytesByBlob: [String: UInt64] {
        var out: [String: UInt64] = [:]
        for (b, n) in blobPages.enumerated() where n > 0 { out[blobNames[b]] = UInt64(n) * 4096 }
        return out
    }

    /// The shared groups whose resident pages changed since the last call (all after a restart).
    func takeChangedGroups() -> [Int] {
        defer {
            for g in changedGroups { groupIsChanged[g] = false }
            changedGroups.removeAll(keepingCapacity: true)
        }
        return changedGroups
    }

    @inline(__always)
    private func noteChanged(group g: Int) {
        guard !groupIsChanged[g] else { return }
        groupIsChanged[g] = true
        changedGroups.append(g)
    }

    /// Brings the figures to the session's present.
    func update() {
        guard let sim = session.simulator(for: design), let resolver = session.registrar.resolver(design) else {
            restart(nil)
            return
        }
        if sim !== simulator || session.registrar !== registrar { restart(sim) }
        if let m = mark, let changes = sim.residencyChanges(since: m) {
            for key in changes {
                if let k = pages.index(of: key) { setResidency(k, sim.isResident(key)) }
            }
        } else if mark != nil {
            // Restored or dropped: only which known pages are resident changed.
            for k in 0..<pages.count {
                let now = sim.isResident(pages.keys[k])
                if now != pages.isResident[k] { setResidency(k, now) }
            }
        }
        mark = sim.residencyMark
        let wentBack = session.position < position
        position = session.position
        let registrar = session.registrar
        let total = registrar.sessionFiles.count
        files.grow(to: total)
        for i in 0..<total {
            if files.counted[i] {
                if wentBack && !registrar.isUsed(FileID(UInt32(i)), at: position) { setCounted(i, false) }
            } else if registrar.isUsed(FileID(UInt32(i)), at: position) {
                if !files.isKnown[i] { learn(i, sim, resolver) }
                setCounted(i, true)
            }
        }
        settleTotals()
    }

    private func restart(_ sim: CacheSimulator?) {
        simulator = sim
        registrar = session.registrar
        mark = sim?.residencyMark
        position = session.position
        for e in entryPages.indices { entryPages[e] = 0 }
        subtreesAreStale = true
        imageBlobPages = Array(repeating: [], count: session.catalogs.count)
        for b in blobPages.indices { blobPages[b] = 0 }
        for g in groupPages.indices where groupPages[g] != 0 { groupPages[g] = 0; noteChanged(group: g) }
        pages = KnownPages()
        files = KnownFiles()
        touched.removeAll(keepingCapacity: true)
    }

    /// Known page `k` is now resident or not.
    private func setResidency(_ k: Int, _ now: Bool) {
        guard now != pages.isResident[k] else { return }
        pages.isResident[k] = now
        let delta = now ? 1 : -1
        for use in pages.blobs[k] where use.references > 0 { blobPages[Int(use.blob)] += delta }
        for f in pages.files[k] {
            let i = Int(f)
            files.pages[i] = UInt64(Int(files.pages[i]) + delta)
            if files.counted[i] { touch(i) }
        }
    }

    private func touch(_ i: Int) {
        guard !files.isTouched[i] else { return }
        files.isTouched[i] = true
        touched.append(Int32(i))
    }

    /// Works out a file's page keys (once; the design maps a file's pages the same way all along).
    private func learn(_ i: Int, _ sim: CacheSimulator, _ resolver: DesignResolver) {
        let registrar = session.registrar
        let file = registrar.sessionFiles[i]
        let id = FileID(UInt32(i))
        let pageCount = session.files.pageCount(of: id, pageSize: 4096)
        let first = ContainerID(UInt16(session.containers.firstIndex { $0.layers.contains(file.image) } ?? 0))
        var resident: UInt64 = 0
        for p in 0..<pageCount {
            let k = Int(pages.intern(resolver.pageKey(container: first, file: id, page: p), sim))
            pages.files[k].append(Int32(i))
            if pages.isResident[k] { resident += 1 }
        }
        var blob: Int32 = -1
        var blobKeys: [Int32] = []
        if let name = registrar.blobNames[i] {
            let b = blobIndexes[name] ?? {
                blobIndexes[name] = blobNames.count
                blobNames.append(name)
                blobPages.append(0)
                return blobNames.count - 1
            }()
            blob = Int32(b)
            let containers = session.containers.indices.filter { session.containers[$0].layers.contains(file.image) }
            for c in containers.isEmpty ? [0] : containers {
                for p in 0..<pageCount {
                    let k = pages.intern(resolver.pageKey(container: ContainerID(UInt16(c)), file: id, page: p), sim)
                    if !pages.blobs[Int(k)].contains(where: { $0.blob == blob }) {
                        pages.blobs[Int(k)].append(KnownPages.BlobUse(blob: blob, references: 0))
                    }
                    blobKeys.append(k)
                }
            }
            if imageBlobPages[file.image].count <= b {
                imageBlobPages[file.image].append(contentsOf: repeatElement(0, count: b + 1 - imageBlobPages[file.image].count))
            }
        }
        let catalog = session.catalogs[file.image]
        var entry: Int32 = -1
        if let e = catalog.index(ofNID: file.nid), catalog.entries[e].type != .directory {
            entry = Int32(entryBase[file.image] + e)
        }
        files.learn(i, image: file.image, blob: blob, pages: resident, entry: entry,
                    groups: (groupsOfFile[file] ?? []).map(Int32.init), blobKeys: blobKeys)
    }

    /// A known file starts or stops counting: its resident pages join or leave the totals (at
    /// the next settle), and its blob's pages gain or lose a reference (a blob page counts while
    /// a counted file uses it).
    private func setCounted(_ i: Int, _ now: Bool) {
        guard files.isKnown[i], files.counted[i] != now else { return }
        files.counted[i] = now
        touch(i)
        let blob = files.blob[i]
        guard blob >= 0 else { return }
        let b = Int(blob)
        for k in files.blobKeys(of: i) {
            let k = Int(k)
            guard let u = pages.blobs[k].firstIndex(where: { $0.blob == blob }) else { continue }
            let before = pages.blobs[k][u].references
            pages.blobs[k][u].references += now ? 1 : -1
            let after = pages.blobs[k][u].references
            if pages.isResident[k] && (before == 0) != (after == 0) { blobPages[b] += now ? 1 : -1 }
        }
    }

    /// Brings the per-entry, per-blob-of-image and per-group totals in line with the touched
    /// files' contributions (their resident pages while counted): file by file, or, after a
    /// large change such as a seek, summed again from every file.
    private func settleTotals() {
        if touched.count > Self.resumThreshold ?? max(4096, files.count / 2) {
            let groupsBefore = groupPages
            entryPages.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            subtreesAreStale = true
            groupPages.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            for image in imageBlobPages.indices { for b in imageBlobPages[image].indices { imageBlobPages[image][b] = 0 } }
            for i in 0..<files.count where files.isKnown[i] {
                files.contributed[i] = files.counted[i] ? files.pages[i] : 0
                addToTotals(Int(files.contributed[i]), file: i, notingGroups: false)
            }
            for g in groupPages.indices where groupPages[g] != groupsBefore[g] { noteChanged(group: g) }
        } else {
            for f in touched {
                let i = Int(f)
                let now = files.counted[i] ? files.pages[i] : 0
                addToTotals(Int(now) - Int(files.contributed[i]), file: i)
                files.contributed[i] = now
            }
        }
        for f in touched { files.isTouched[Int(f)] = false }
        touched.removeAll(keepingCapacity: true)
    }

    /// Adds `delta` resident pages of file `i` to everything its count feeds.
    @inline(__always)
    private func addToTotals(_ delta: Int, file i: Int, notingGroups: Bool = true) {
        guard delta != 0 else { return }
        let range = files.groupRange(of: i)
        for j in range {
            let g = Int(files.groupList[j])
            groupPages[g] = UInt64(Int(groupPages[g]) + delta)
        }
        if notingGroups { for j in range { noteChanged(group: Int(files.groupList[j])) } }
        let blob = Int(files.blob[i])
        if blob >= 0 {
            let image = Int(files.image[i])
            imageBlobPages[image][blob] = UInt64(Int(imageBlobPages[image][blob]) + delta)
        }
        let e = Int(files.entry[i])
        if e >= 0 { entryPages[e] = UInt64(Int(entryPages[e]) + delta) }
        subtreesAreStale = true
    }
}
