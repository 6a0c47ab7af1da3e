import EROFS
import PageCacheModel

/// The state of one page of a file under one design, for a residency strip.
public struct PageState: Equatable, Sendable {
    public var isResident: Bool
    /// The container charged for it (the one whose access brought it in), if cached.
    public var chargedTo: Int?
    /// Its address space is used by two or more files or containers, or a container other than
    /// the charged one has accessed it.
    public var isShared: Bool
    /// It carries the readahead marker (PG_readahead).
    public var hasReadaheadMarker: Bool

    init(_ r: PageResidency) {
        isResident = r.isResident
        chargedTo = r.chargedTo.map { Int($0.rawValue) }
        isShared = r.spaceIsShared || r.accessedByOthers
        hasReadaheadMarker = r.hasReadaheadMarker
    }
}

/// Resident pages per file under one design at one moment (`Session.residentPageCounts`).
public struct ResidentPageCounts {
    let counts: [UInt64]
    let registrar: FileRegistrar
    /// Resident pages of `file` (0 when the replay has not used it).
    public subscript(file: SessionFile) -> UInt64 {
        guard let id = registrar.id(of: file), Int(id.rawValue) < counts.count else { return 0 }
        return counts[Int(id.rawValue)]
    }
}

/// How much of each file and directory of one image is cached under one design, at one moment.
public struct ResidencySnapshot: Equatable, Sendable {
    /// Resident data pages per catalog entry (directories: their whole subtree).
    public var residentPages: [Int: UInt64] = [:]
    /// Resident pages per blob name (attributed by each file's first extent).
    public var residentPagesByBlob: [String: UInt64] = [:]
}

extension Session {
    /// Resident pages of `file` under `design`, as its first container sees them.
    public func residentPages(of file: SessionFile, design: SharingDesign) -> UInt64 {
        guard let id = registrar.id(of: file), registrar.isUsed(id, at: position), let sim = simulator(for: design),
              let resolver = registrar.resolver(design) else { return 0 }
        return residentPages(of: id, image: file.image, sim: sim, resolver: resolver)
    }

    /// Resident pages of every file the replay used so far under `design`, by model file id,
    /// as each file's first container sees them (one pass, for views that need many files).
    public func residentPageCounts(design: SharingDesign) -> ResidentPageCounts {
        guard let sim = simulator(for: design), let resolver = registrar.resolver(design) else { return ResidentPageCounts(counts: [], registrar: registrar) }
        let counts = registrar.sessionFiles.enumerated().map { id, file -> UInt64 in
            let fid = FileID(UInt32(id))
            return registrar.isUsed(fid, at: position) ? residentPages(of: fid, image: file.image, sim: sim, resolver: resolver) : 0
        }
        return ResidentPageCounts(counts: counts, registrar: registrar)
    }

    private func residentPages(of id: FileID, image: Int, sim: CacheSimulator, resolver: DesignResolver) -> UInt64 {
        let container = ContainerID(UInt16(firstContainer(of: image)))
        var n: UInt64 = 0
        for p in 0..<files.pageCount(of: id, pageSize: 4096) where sim.isResident(resolver.pageKey(container: container, file: id, page: p)) { n += 1 }
        return n
    }

    /// Bytes of page cache holding each blob's data under `design`, each cached page counted once
    /// however many images or containers see it (under `blob` a shared blob's pages live in one
    /// address space; under `none` every image's copy is a page of its own). Files are attributed
    /// to the blob holding their first extent, as in ``ResidencySnapshot/residentPagesByBlob``.
    public func residentBytesByBlob(design: SharingDesign) -> [String: UInt64] {
        guard let sim = simulator(for: design), let d = designs.firstIndex(of: design) else { return [:] }
        let resolver = resolvers[d]
        // The containers seeing each image (the first when none does), and each blob's pages,
        // by blob number in order of first sight: names are looked up once per file, not per page.
        let users = catalogs.indices.map { image -> [ContainerID] in
            let seeing = containers.indices.filter { containers[$0].layers.contains(image) }
            return (seeing.isEmpty ? [0] : seeing).map { ContainerID(UInt16($0)) }
        }
        var blobNumbers: [String: Int] = [:]
        var keys: [Set<PageKey>] = []
        for (index, file) in registrar.sessionFiles.enumerated() {
            // Model ids are dense: file `index` has id `index`.
            let id = FileID(UInt32(index))
            guard let blob = registrar.blobNames[index], registrar.isUsed(id, at: position) else { continue }
            let b = blobNumbers[blob] ?? { blobNumbers[blob] = keys.count; keys.append([]); return keys.count - 1 }()
            for c in users[file.image] {
                for p in 0..<files.pageCount(of: id, pageSize: 4096) {
                    let key = resolver.pageKey(container: c, file: id, page: p)
                    if sim.isResident(key) { keys[b].insert(key) }
                }
            }
        }
        return blobNumbers.mapValues { UInt64(keys[$0].count) * 4096 }
    }

    /// Per-entry and per-blob residency of every touched file under `design` (untouched files
    /// have nothing cached). Cost: the touched files' pages, plus their depth.
    public func residencySnapshot(design: SharingDesign) -> [ResidencySnapshot] {
        residencySnapshot(residentPageCounts(design: design))
    }

    /// The same from counts already made (`residentPageCounts(design:)`).
    public func residencySnapshot(_ counts: ResidentPageCounts) -> [ResidencySnapshot] {
        var out = Array(repeating: ResidencySnapshot(), count: catalogs.count)
        for (index, file) in registrar.sessionFiles.enumerated() where index < counts.counts.count {
            let n = counts.counts[index]
            guard n > 0 else { continue }
            let catalog = catalogs[file.image]
            guard var entry = catalog.index(ofNID: file.nid) else { continue }
            if let blob = registrar.blobNames[index] { out[file.image].residentPagesByBlob[blob, default: 0] += n }
            guard catalog.entries[entry].type != .directory else { continue }
            while true {
                out[file.image].residentPages[entry, default: 0] += n
                if entry == 0 { break }
                entry = catalog.entries[entry].parent
            }
        }
        return out
    }

    /// The page-by-page state of a file under `design` as `container` sees it (empty when the
    /// file cannot be read).
    public func pageStates(of file: SessionFile, design: SharingDesign, container: Int) -> [PageState] {
        pageResidency(of: file, design: design, container: container).map(PageState.init)
    }

    /// The model's page-by-page state of a file (registering it).
    func pageResidency(of file: SessionFile, design: SharingDesign, container: Int) -> [PageResidency] {
        guard let sim = simulator(for: design) else { return [] }
        guard let id = try? registeredID(for: file) else { return [] }
        return sim.residency(of: id, in: ContainerID(UInt16(container)), pages: nil)
    }

    /// Hit rate per sample interval for each container under `design` (nil where no access happened).
    public func hitRateSeries(design: SharingDesign) -> [[Double?]] {
        guard let sim = simulator(for: design) else { return [] }
        return containers.indices.map { c in
            var previous: TimeSample?
            return sim.samples.map { sample in
                defer { previous = sample }
                return sample.hitRate(of: ContainerID(UInt16(c)), since: previous)
            }
        }
    }

    /// Replay seconds between two time samples.
    public var sampleInterval: Double { simulator.simulators.first?.configuration.sampleInterval ?? 1 }

    /// The container a file of `image` is first seen through (the first whose layers include it).
    public func firstContainer(of image: Int) -> Int { containers.firstIndex { $0.layers.contains(image) } ?? 0 }
}
