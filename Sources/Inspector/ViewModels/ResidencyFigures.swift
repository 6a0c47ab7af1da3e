import EROFS
import PageCacheModel

/// The residency figures a dashboard shows under one design — per-entry and per-blob resident
/// pages of each image (``Session/residencySnapshot(design:)``), each blob's cached bytes
/// (``Session/residentBytesByBlob(design:)``) and each shared group's resident pages — kept up
/// to date from the simulator's residency log: only the pages that came in or left since the
/// last update, and the files the replay started or stopped using, are looked at.
///
/// A file's page keys are worked out once, the first time it counts, and kept by dense index
/// (``KnownPages``): after a seek the files used at the new position start or stop counting by
/// adding or taking out their resident pages, without asking the design for their keys again;
/// after a restored checkpoint or dropped caches the known keys' residency is compared with the
/// simulator's. Starts from scratch only for another model (new settings). The figures equal
/// the from-scratch computation's at all times (`ResidencyFiguresTests`).
final class ResidencyFigures {
    let session: Session
    let design: SharingDesign
    /// Per image, as ``Session/residencySnapshot(design:)`` computes it.
    private(set) var snapshots: [ResidencySnapshot]
    /// Distinct resident pages per blob index (see `blobNames`), of counted files.
    private var blobPages: [Int] = []
    private var blobNames: [String] = []
    private var blobIndexes: [String: Int] = [:]
    /// Resident pages of the members of each shared group (each member as its first container sees it).
    private(set) var groupPages: [UInt64]
    /// Groups whose `groupPages` changed since `takeChangedGroups()`.
    private var changedGroups: Set<Int> = []
    private let groupsOfFile: [SessionFile: [Int]]

    private var pages = KnownPages()
    /// By model file id: what the figures know of it (nil until it first counts).
    private var known: [KnownFile?] = []
    /// By model file id: resident pages of a known file (first container's view), counted or not.
    private var filePages: [UInt64] = []
    /// By model file id: counted (used by the position of the last update).
    private var counted: [Bool] = []

    private var simulator: CacheSimulator?
    private var registrar: FileRegistrar?
    private var mark: CacheSimulator.ResidencyMark?
    private var position = -1

    /// A file's keys as dense indexes into `pages`, and where its counts go.
    private struct KnownFile {
        /// Its pages as its first container sees them.
        var pageKeys: [Int32]
        /// Its pages in every container using its image, for its blob (empty without one).
        var blobKeys: [Int32]
        var blob: Int32
        var entry: Int?
        var groups: [Int]
    }

    init(session: Session, design: SharingDesign, groupFiles: [[SessionFile]]) {
        self.session = session
        self.design = design
        snapshots = Array(repeating: ResidencySnapshot(), count: session.catalogs.count)
        groupPages = Array(repeating: 0, count: groupFiles.count)
        var map: [SessionFile: [Int]] = [:]
        for (g, files) in groupFiles.enumerated() { for f in files { map[f, default: []].append(g) } }
        groupsOfFile = map
    }

    /// Cached bytes per blob name (blobs with nothing cached left out).
    var residentBytesByBlob: [String: UInt64] {
        var out: [String: UInt64] = [:]
        for (b, n) in blobPages.enumerated() where n > 0 { out[blobNames[b]] = UInt64(n) * 4096 }
        return out
    }

    /// The shared groups whose resident pages changed since the last call (all after a restart).
    func takeChangedGroups() -> Set<Int> {
        defer { changedGroups.removeAll(keepingCapacity: true) }
        return changedGroups
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
                if now != pages.isResident[k] { setResidency(Int(k), now) }
            }
        }
        mark = sim.residencyMark
        let wentBack = session.position < position
        position = session.position
        let registrar = session.registrar
        let total = registrar.sessionFiles.count
        if counted.count < total {
            counted.append(contentsOf: repeatElement(false, count: total - counted.count))
            filePages.append(contentsOf: repeatElement(0, count: total - filePages.count))
            known.append(contentsOf: repeatElement(nil, count: total - known.count))
        }
        for i in 0..<total {
            if counted[i] {
                if wentBack && !registrar.isUsed(FileID(UInt32(i)), at: position) { setCounted(i, false) }
            } else if registrar.isUsed(FileID(UInt32(i)), at: position) {
                if known[i] == nil { learn(i, sim, resolver) }
                setCounted(i, true)
            }
        }
    }

    private func restart(_ sim: CacheSimulator?) {
        simulator = sim
        registrar = session.registrar
        mark = sim?.residencyMark
        position = session.position
        snapshots = Array(repeating: ResidencySnapshot(), count: session.catalogs.count)
        for b in blobPages.indices { blobPages[b] = 0 }
        for g in groupPages.indices where groupPages[g] != 0 { groupPages[g] = 0; changedGroups.insert(g) }
        pages = KnownPages()
        known.removeAll(keepingCapacity: true)
        filePages.removeAll(keepingCapacity: true)
        counted.removeAll(keepingCapacity: true)
    }

    /// Known page `k` is now resident or not.
    private func setResidency(_ k: Int, _ now: Bool) {
        guard now != pages.isResident[k] else { return }
        pages.isResident[k] = now
        let delta = now ? 1 : -1
        for use in pages.blobs[k] where use.references > 0 { blobPages[Int(use.blob)] += delta }
        for f in pages.files[k] {
            let i = Int(f)
            filePages[i] = UInt64(Int(filePages[i]) + delta)
            if counted[i] { addToTotals(delta, file: i) }
        }
    }

    /// Works out a file's page keys (once; the design maps a file's pages the same way all along).
    private func learn(_ i: Int, _ sim: CacheSimulator, _ resolver: DesignResolver) {
        let registrar = session.registrar
        let file = registrar.sessionFiles[i]
        let id = FileID(UInt32(i))
        let pageCount = session.files.pageCount(of: id, pageSize: 4096)
        let first = ContainerID(UInt16(session.containers.firstIndex { $0.layers.contains(file.image) } ?? 0))
        var pageKeys: [Int32] = []
        pageKeys.reserveCapacity(Int(pageCount))
        var resident: UInt64 = 0
        for p in 0..<pageCount {
            let k = pages.intern(resolver.pageKey(container: first, file: id, page: p), sim)
            pages.files[Int(k)].append(Int32(i))
            if pages.isResident[Int(k)] { resident += 1 }
            pageKeys.append(k)
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
        }
        filePages[i] = resident
        known[i] = KnownFile(pageKeys: pageKeys, blobKeys: blobKeys, blob: blob,
                             entry: session.catalogs[file.image].index(ofNID: file.nid), groups: groupsOfFile[file] ?? [])
    }

    /// A known file starts or stops counting: its resident pages join or leave the totals, and
    /// its blob's pages gain or lose a reference (a blob page counts while a counted file uses it).
    private func setCounted(_ i: Int, _ now: Bool) {
        guard let file = known[i], counted[i] != now else { return }
        counted[i] = now
        addToTotals(now ? Int(filePages[i]) : -Int(filePages[i]), file: i)
        guard file.blob >= 0 else { return }
        let b = Int(file.blob)
        for k in file.blobKeys {
            let k = Int(k)
            guard let u = pages.blobs[k].firstIndex(where: { $0.blob == file.blob }) else { continue }
            let before = pages.blobs[k][u].references
            pages.blobs[k][u].references += now ? 1 : -1
            let after = pages.blobs[k][u].references
            if pages.isResident[k] && (before == 0) != (after == 0) { blobPages[b] += now ? 1 : -1 }
        }
    }

    /// Adds `delta` resident pages of counted file `i` to everything its count feeds.
    private func addToTotals(_ delta: Int, file i: Int) {
        guard delta != 0, let known = known[i] else { return }
        for g in known.groups {
            groupPages[g] = UInt64(Int(groupPages[g]) + delta)
            changedGroups.insert(g)
        }
        guard var entry = known.entry else { return }
        let file = session.registrar.sessionFiles[i]
        let catalog = session.catalogs[file.image]
        if let blob = session.registrar.blobNames[i] { Self.add(delta, to: &snapshots[file.image].residentPagesByBlob, blob) }
        guard catalog.entries[entry].type != .directory else { return }
        while true {
            Self.add(delta, to: &snapshots[file.image].residentPages, entry)
            if entry == 0 { break }
            entry = catalog.entries[entry].parent
        }
    }

    /// Zero counts are left out, as the from-scratch computation does.
    private static func add<K: Hashable>(_ delta: Int, to counts: inout [K: UInt64], _ key: K) {
        let n = Int(counts[key] ?? 0) + delta
        if n == 0 { counts[key] = nil } else { counts[key] = UInt64(n) }
    }
}

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
