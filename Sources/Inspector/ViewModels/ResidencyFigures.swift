import EROFS
import PageCacheModel

/// The residency figures a dashboard shows under one design — per-entry and per-blob resident
/// pages of each image (``Session/residencySnapshot(design:)``), each blob's cached bytes
/// (``Session/residentBytesByBlob(design:)``) and each shared group's resident pages — kept up
/// to date from the simulator's residency log: only the pages that came in or left since the
/// last update, and the files the replay started using, are looked at.
///
/// Starts from scratch when it cannot follow (another design or model); after a seek back it
/// stops counting the files not used yet at the new position, and after a seek back, a
/// restored checkpoint or dropped caches it checks the pages it knows. The figures equal the from-scratch computation's at all times.
final class ResidencyFigures {
    let session: Session
    let design: SharingDesign
    /// Per image, as ``Session/residencySnapshot(design:)`` computes it.
    private(set) var snapshots: [ResidencySnapshot]
    /// Distinct resident pages per blob index (see `blobNames`).
    private var blobPages: [Int] = []
    private var blobNames: [String] = []
    private var blobIndexes: [String: Int] = [:]
    /// Resident pages of the members of each shared group (each member as its first container sees it).
    private(set) var groupPages: [UInt64]
    /// Groups whose `groupPages` changed since `takeChangedGroups()`.
    private var changedGroups: Set<Int> = []
    private let groupsOfFile: [SessionFile: [Int]]

    /// Who looks at a page: files (by model id, once per page of theirs that maps to it, as
    /// their first container sees them) and blobs (each once, with how many file pages of
    /// theirs map to it, so a file can stop counting), and whether it was resident.
    private struct Users {
        var files: [Int32] = []
        var blobs: [Int32] = []
        var blobReferences: [Int32] = []
        var isResident = false
    }
    private var users: [PageKey: Users] = [:]
    /// Resident pages per model file id (first container's view); used files only.
    private var filePages: [UInt64] = []
    /// Per model file id: counted (used by the position of the last update).
    private var counted: [Bool] = []
    private var fileEntries: [Int?] = []

    private var simulator: CacheSimulator?
    private var registrar: FileRegistrar?
    private var mark: CacheSimulator.ResidencyMark?
    private var position = -1

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
        if sim !== simulator || session.registrar !== registrar {
            restart(sim)
        } else if session.position < position {
            let registrar = session.registrar
            for i in counted.indices where counted[i] && !registrar.isUsed(FileID(UInt32(i)), at: session.position) {
                stopCounting(i, resolver)
            }
        }
        if let m = mark, let changes = sim.residencyChanges(since: m) {
            for key in changes { refresh(key, sim) }
        } else if mark != nil {
            // Restored or dropped without going back: the same files count, only which of
            // their pages are resident changed. Cheaper than starting over.
            let changed = users.compactMap { $0.value.isResident != sim.isResident($0.key) ? $0.key : nil }
            for key in changed { refresh(key, sim) }
        }
        mark = sim.residencyMark
        position = session.position
        let registrar = session.registrar
        let total = registrar.sessionFiles.count
        if counted.count < total {
            counted.append(contentsOf: repeatElement(false, count: total - counted.count))
            filePages.append(contentsOf: repeatElement(0, count: total - filePages.count))
            fileEntries.append(contentsOf: repeatElement(nil, count: total - fileEntries.count))
        }
        for i in 0..<total where !counted[i] && registrar.isUsed(FileID(UInt32(i)), at: position) {
            startCounting(i, sim, resolver)
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
        users.removeAll(keepingCapacity: true)
        filePages.removeAll(keepingCapacity: true)
        counted.removeAll(keepingCapacity: true)
        fileEntries.removeAll(keepingCapacity: true)
    }

    /// A page whose residency may have changed.
    private func refresh(_ key: PageKey, _ sim: CacheSimulator) {
        guard var u = users[key] else { return }
        let now = sim.isResident(key)
        guard now != u.isResident else { return }
        u.isResident = now
        users[key] = u
        let delta = now ? 1 : -1
        for b in u.blobs { blobPages[Int(b)] += delta }
        for f in u.files { add(delta, toFile: Int(f)) }
    }

    /// A file the replay now uses: its pages (and blob's pages) join the figures.
    private func startCounting(_ i: Int, _ sim: CacheSimulator, _ resolver: DesignResolver) {
        counted[i] = true
        let registrar = session.registrar
        let file = registrar.sessionFiles[i]
        let id = FileID(UInt32(i))
        fileEntries[i] = session.catalogs[file.image].index(ofNID: file.nid)
        let pages = session.files.pageCount(of: id, pageSize: 4096)
        let first = ContainerID(UInt16(session.containers.firstIndex { $0.layers.contains(file.image) } ?? 0))
        var resident: UInt64 = 0
        for p in 0..<pages {
            let key = resolver.pageKey(container: first, file: id, page: p)
            let isResident = note(key, sim) { $0.files.append(Int32(i)) }
            if isResident { resident += 1 }
        }
        if let blob = registrar.blobNames[i] {
            let b = blobIndexes[blob] ?? {
                blobIndexes[blob] = blobNames.count
                blobNames.append(blob)
                blobPages.append(0)
                return blobNames.count - 1
            }()
            let containers = session.containers.indices.filter { session.containers[$0].layers.contains(file.image) }
            for c in containers.isEmpty ? [0] : containers {
                for p in 0..<pages {
                    let key = resolver.pageKey(container: ContainerID(UInt16(c)), file: id, page: p)
                    var joined = false
                    let isResident = note(key, sim) { u in
                        if let k = u.blobs.firstIndex(of: Int32(b)) {
                            u.blobReferences[k] += 1
                        } else {
                            u.blobs.append(Int32(b))
                            u.blobReferences.append(1)
                            joined = true
                        }
                    }
                    if joined && isResident { blobPages[b] += 1 }
                }
            }
        }
        add(Int(resident), toFile: i)
    }

    /// A file the replay no longer uses (after a seek back): undoes `startCounting`, with the
    /// residency its pages were counted with.
    private func stopCounting(_ i: Int, _ resolver: DesignResolver) {
        let registrar = session.registrar
        let file = registrar.sessionFiles[i]
        let id = FileID(UInt32(i))
        let pages = session.files.pageCount(of: id, pageSize: 4096)
        let first = ContainerID(UInt16(session.containers.firstIndex { $0.layers.contains(file.image) } ?? 0))
        add(-Int(filePages[i]), toFile: i)
        counted[i] = false
        for p in 0..<pages {
            let key = resolver.pageKey(container: first, file: id, page: p)
            if let k = users[key]?.files.firstIndex(of: Int32(i)) { users[key]!.files.remove(at: k) }
        }
        if let blob = registrar.blobNames[i], let b = blobIndexes[blob] {
            let containers = session.containers.indices.filter { session.containers[$0].layers.contains(file.image) }
            for c in containers.isEmpty ? [0] : containers {
                for p in 0..<pages {
                    let key = resolver.pageKey(container: ContainerID(UInt16(c)), file: id, page: p)
                    guard let k = users[key]?.blobs.firstIndex(of: Int32(b)) else { continue }
                    users[key]!.blobReferences[k] -= 1
                    if users[key]!.blobReferences[k] == 0 {
                        users[key]!.blobs.remove(at: k)
                        users[key]!.blobReferences.remove(at: k)
                        if users[key]!.isResident { blobPages[b] -= 1 }
                    }
                }
            }
        }
    }

    /// Records a user of `key`; returns whether it is resident.
    private func note(_ key: PageKey, _ sim: CacheSimulator, _ change: (inout Users) -> Void) -> Bool {
        if users[key] == nil { users[key] = Users(isResident: sim.isResident(key)) }
        change(&users[key]!)
        return users[key]!.isResident
    }

    /// Adds `delta` resident pages to file `i` and everything its count feeds.
    private func add(_ delta: Int, toFile i: Int) {
        guard delta != 0 else { return }
        filePages[i] = UInt64(Int(filePages[i]) + delta)
        let file = session.registrar.sessionFiles[i]
        for g in groupsOfFile[file] ?? [] {
            groupPages[g] = UInt64(Int(groupPages[g]) + delta)
            changedGroups.insert(g)
        }
        guard var entry = fileEntries[i] else { return }
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
