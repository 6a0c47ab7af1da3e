import EROFS
import PageCacheModel

extension SessionViewModel {
    /// A regular file of `image` (catalog index `entry`) in detail: its extents, and its pages
    /// under the design as each container sees them, each with the other files whose pages are
    /// the same cached page. Nil for other entries or a file that cannot be read.
    public func fileDetail(image: Int, entry index: Int) -> FileDetail? {
        guard image < session.catalogs.count else { return nil }
        let catalog = session.catalogs[image]
        guard index >= 0, index < catalog.entries.count, catalog.entries[index].type == .regular else { return nil }
        let entry = catalog.entries[index]
        guard let inode = try? catalog.image.inode(entry.nid) else { return nil }
        let extents = ((try? catalog.image.extents(of: inode)) ?? []).prefix(4096).map { e -> FileDetail.Extent in
            let offset = e.logicalOffset, length = e.length
            switch e.location {
            case .hole:
                return .init(logicalOffset: offset, length: length, device: 0, deviceTag: "", physicalAddress: 0, kind: .hole)
            case .device(let id, let address):
                let tag = id < catalog.image.devices.count ? (catalog.image.devices[id].slot?.tag ?? catalog.label) : "?"
                return .init(logicalOffset: offset, length: length, device: id, deviceTag: tag, physicalAddress: address, kind: e.chunk != nil ? .chunk : .plain)
            case .inline(let address):
                return .init(logicalOffset: offset, length: length, device: 0, deviceTag: catalog.label, physicalAddress: address, kind: .inline)
            case .compressed(let c):
                return .init(logicalOffset: offset, length: length, device: c.device, deviceTag: c.algorithm.name, physicalAddress: c.physicalOffset, kind: .compressed)
            }
        }
        let file = SessionFile(image: image, nid: entry.nid)
        let users = session.containers.indices.filter { session.containers[$0].layers.contains(image) }
        let views = (users.isEmpty ? [0] : users).map { pages(of: file, image: image, entry: index, container: $0) }
        let first = session.firstContainer(of: image)
        let mine = users.firstIndex(of: first).map { views[$0] } ?? views[0]
        let perContainer = session.containers.indices.map { c in users.firstIndex(of: c).map { views[$0] } ?? [] }
        return FileDetail(path: entry.path, sizeBytes: entry.size, layout: "\(inode.layout)", extents: Array(extents),
                          pages: mine, containerPages: perContainer)
    }

    /// One container's view of a file's pages, with the other files (of the file's shared
    /// groups, as their first container sees them) resolving to the same cached page.
    private func pages(of file: SessionFile, image: Int, entry: Int, container: Int) -> [FileDetail.Page] {
        let states = session.pageResidency(of: file, design: design, container: container)
        guard let sim = session.simulator(for: design), let resolver = session.registrar.resolver(design) else { return [] }
        // Keys of the other members' pages, only for files the replay has registered (others
        // have nothing cached).
        var othersByKey: [PageKey: [String]] = [:]
        var seen: Set<SessionFile> = [file]
        for g in groups(image: image, entry: entry) {
            for member in session.sharing.groups[g].sharers {
                let other = SessionFile(image: member.image, nid: session.catalogs[member.image].entries[member.entry].nid)
                guard seen.insert(other).inserted, let id = session.registrar.id(of: other), session.registrar.isUsed(id, at: session.position) else { continue }
                let label = "\(session.catalogs[member.image].label):\(session.catalogs[member.image].entries[member.entry].path)"
                let c = ContainerID(UInt16(session.firstContainer(of: member.image)))
                for p in 0..<session.files.pageCount(of: id, pageSize: 4096) {
                    let key = resolver.pageKey(container: c, file: id, page: p)
                    if sim.isResident(key) { othersByKey[key, default: []].append(label) }
                }
            }
        }
        return states.map { s in
            FileDetail.Page(cachedBy: s.chargedTo.map { Int($0.rawValue) }, isShared: s.spaceIsShared || s.accessedByOthers,
                            sharedWith: s.isResident ? othersByKey[s.key] ?? [] : [])
        }
    }
}
