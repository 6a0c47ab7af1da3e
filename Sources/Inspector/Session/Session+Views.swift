import EROFS
import PageCacheModel

/// How much of each file and directory of one image is cached under one design, at one moment.
public struct ResidencySnapshot: Sendable {
    /// Resident data pages per catalog entry (directories: their whole subtree).
    public var residentPages: [Int: UInt64] = [:]
    /// Resident pages per blob name (attributed by each file's first extent).
    public var residentPagesByBlob: [String: UInt64] = [:]
}

extension Session {
    /// Resident pages of `file` under `design`, as its first container sees them.
    public func residentPages(of file: SessionFile, design: SharingDesign) -> UInt64 {
        guard let id = fileIDs[file], let sim = simulator(for: design) else { return 0 }
        let container = containers.firstIndex { $0.layers.contains(file.image) } ?? 0
        let pages = files.pageCount(of: id, pageSize: 4096)
        let resolver = resolvers[designs.firstIndex(of: design)!]
        var n: UInt64 = 0
        for p in 0..<pages where sim.isResident(resolver.pageKey(container: ContainerID(UInt16(container)), file: id, page: p)) { n += 1 }
        return n
    }

    /// Bytes of page cache holding each blob's data under `design`, each cached page counted once
    /// however many images or containers see it (under `blob` a shared blob's pages live in one
    /// address space; under `none` every image's copy is a page of its own). Files are attributed
    /// to the blob holding their first extent, as in ``ResidencySnapshot/residentPagesByBlob``.
    public func residentBytesByBlob(design: SharingDesign) -> [String: UInt64] {
        guard let sim = simulator(for: design), let d = designs.firstIndex(of: design) else { return [:] }
        let resolver = resolvers[d]
        var keys: [String: Set<PageKey>] = [:]
        for (index, file) in sessionFiles.enumerated() {
            guard let blob = blobNames[index], let id = fileIDs[file] else { continue }
            let users = containers.indices.filter { containers[$0].layers.contains(file.image) }
            for c in users.isEmpty ? [0] : users {
                for p in 0..<files.pageCount(of: id, pageSize: 4096) {
                    let key = resolver.pageKey(container: ContainerID(UInt16(c)), file: id, page: p)
                    if sim.isResident(key) { keys[blob, default: []].insert(key) }
                }
            }
        }
        return keys.mapValues { UInt64($0.count) * 4096 }
    }

    /// Per-entry and per-blob residency of every touched file under `design` (untouched files
    /// have nothing cached). Cost: the touched files' pages, plus their depth.
    public func residencySnapshot(design: SharingDesign) -> [ResidencySnapshot] {
        var out = Array(repeating: ResidencySnapshot(), count: catalogs.count)
        for (index, file) in sessionFiles.enumerated() {
            let n = residentPages(of: file, design: design)
            guard n > 0 else { continue }
            let catalog = catalogs[file.image]
            guard var entry = catalog.index(ofNID: file.nid) else { continue }
            if let blob = blobNames[index] { out[file.image].residentPagesByBlob[blob, default: 0] += n }
            guard catalog.entries[entry].type != .directory else { continue }
            while true {
                out[file.image].residentPages[entry, default: 0] += n
                if entry == 0 { break }
                entry = catalog.entries[entry].parent
            }
        }
        return out
    }

    /// The blob holding the start of a file's data, if it is in a device (`firstExtent`: the
    /// extent holding byte 0, when already read).
    func blobName(of inode: Inode, firstExtent: DataExtent? = nil, in image: Image) throws -> String? {
        guard inode.type == .regular, inode.size > 0,
              case .device(let id, _) = try (firstExtent ?? image.extent(of: inode, at: 0)).location else { return nil }
        return BlobIdentity.blobName(of: image, device: id)
    }

    /// The page-by-page state of a file under `design` as `container` sees it.
    public func pageResidency(of file: SessionFile, design: SharingDesign, container: Int) -> [PageResidency] {
        guard let sim = simulator(for: design) else { return [] }
        guard let id = try? fileID(for: file) else { return [] }
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
}
