import EROFS
import Foundation
import Inspector
import PageCacheModel
import TerminalUI

/// The dashboard's view of a session: snapshots for the panels, cached per generation, and the
/// replay clock (speed, pause, step).
///
/// Ticks and actions throw the session's `ReplayFailure` (an image changed or could not be read
/// during the replay), which ends the UI; a file that cannot be read is a status message.
final class SessionDashboard: DashboardDataSource {
    let session: Session
    private(set) var design: SharingDesign
    private(set) var speed: Double
    private(set) var paused = false
    private var lastNow: Double?
    private var replayClock: Double = 0
    private(set) var generation: UInt64 = 1
    /// Most steps applied per tick, so keys stay responsive on huge traces.
    let maxStepsPerTick = 20_000

    private var cacheGeneration: UInt64 = 0
    private var cachedReport: UsageReport?
    private var cachedResidency: [ResidencySnapshot] = []
    private var cachedBlobs: [BlobRow] = []
    private var cachedShared: [SharedRow] = []
    private let sharedBelow: [[Int: Int]]
    private let sharedRowsBase: [(row: SharedRow, files: [SessionFile])]

    init(session: Session, speed: Double) {
        self.session = session
        self.speed = speed
        design = session.designs.contains(.blob) ? .blob : session.designs[0]
        var below: [[Int: Int]] = Array(repeating: [:], count: session.catalogs.count)
        for (image, counts) in session.sharing.sharedWithOtherImages.enumerated() {
            let catalog = session.catalogs[image]
            for (nid, _) in counts {
                guard var entry = catalog.index(ofNID: nid) else { continue }
                while entry != 0 {
                    entry = catalog.entries[entry].parent
                    below[image][entry, default: 0] += 1
                }
            }
        }
        sharedBelow = below
        sharedRowsBase = session.sharing.groups.map { group in
            let sharers = group.sharers.map { s in
                Sharer(image: s.image, path: session.catalogs[s.image].entries[s.entry].path, file: TerminalUI.FileID(UInt64(s.entry)))
            }
            let kind: SharedRow.Kind
            if case .chunk = group.kind { kind = .chunk } else { kind = .file }
            let files = group.sharers.map { SessionFile(image: $0.image, nid: session.catalogs[$0.image].entries[$0.entry].nid) }
            return (SharedRow(kind: kind, sizeBytes: Int64(group.length), sharers: sharers), files)
        }
    }

    /// Marks every snapshot stale: the live view feeds the session itself.
    func invalidate() { generation &+= 1 }

    private func refresh() {
        guard cacheGeneration != generation else { return }
        cacheGeneration = generation
        cachedReport = session.report(sharing: false)
        cachedResidency = session.residencySnapshot(design: design)
        cachedBlobs = makeBlobs()
        cachedShared = makeShared()
    }

    private var report: UsageReport { refresh(); return cachedReport! }
    private var residency: [ResidencySnapshot] { refresh(); return cachedResidency }

    // MARK: Header

    var header: DashboardHeader {
        let r = report
        let usage = r.policies.first { $0.design == design }
        let saved = usage.map { max(0, r.savedBytes($0)) } ?? 0
        let images = session.catalogs.enumerated().map { i, catalog in
            let cached = residency[i].residentPages[0] ?? 0
            let pages = catalog.entries[0].subtreePages
            return TerminalUI.ImageInfo(label: catalog.label, root: TerminalUI.FileID(0), sizeBytes: Int64(catalog.entries[0].subtreeSize),
                                        sharedFiles: session.sharing.sharedWithOtherImages[i].count,
                                        cachedFraction: pages == 0 ? 0 : min(1, Double(cached) / Double(pages)))
        }
        return DashboardHeader(
            containers: session.containers.map { ContainerInfo(name: $0.name, image: $0.image) },
            images: images, policy: design.rawValue, policies: session.designs.map(\.rawValue),
            replay: ReplayStatus(clock: session.clock, eventsDone: session.position, eventsTotal: session.steps.count,
                                 speed: speed, paused: paused, finished: session.isFinished),
            cacheUsedBytes: Int64(usage?.residentBytes ?? 0),
            cacheCapacityBytes: session.configuration.cacheMB.map { Int64($0) << 20 },
            savedBytes: Int64(saved), hitRate: usage?.hitRate ?? .nan)
    }

    // MARK: Files

    func children(image: Int, of directory: TerminalUI.FileID) -> [FileRow] {
        guard image < session.catalogs.count else { return [] }
        let catalog = session.catalogs[image]
        let index = Int(directory.rawValue)
        guard index < catalog.entries.count else { return [] }
        let snapshot = residency[image]
        return catalog.entries[index].children.map { child in
            let e = catalog.entries[child]
            let isDir = e.type == .directory
            let size = isDir ? e.subtreeSize : e.size
            let cached = snapshot.residentPages[child] ?? 0
            let shared = isDir ? (sharedBelow[image][child] ?? 0) : (session.sharing.sharedWithOtherImages[image][e.nid] ?? 0)
            return FileRow(id: TerminalUI.FileID(UInt64(child)), name: e.name, isDirectory: isDir, sizeBytes: Int64(size),
                           sharedWith: shared, cachedFraction: e.subtreePages == 0 ? 0 : min(1, Double(cached) / Double(e.subtreePages)))
        }
    }

    func ancestors(image: Int, of file: TerminalUI.FileID) -> [TerminalUI.FileID]? {
        guard image < session.catalogs.count else { return nil }
        let catalog = session.catalogs[image]
        var index = Int(file.rawValue)
        guard index < catalog.entries.count else { return nil }
        var chain: [TerminalUI.FileID] = []
        while index != 0 {
            index = catalog.entries[index].parent
            chain.append(TerminalUI.FileID(UInt64(index)))
        }
        return chain.reversed()
    }

    // MARK: Blobs

    var blobs: [BlobRow] { refresh(); return cachedBlobs }

    private func makeBlobs() -> [BlobRow] {
        var rows: [String: BlobRow] = [:]
        var order: [String] = []
        for (i, catalog) in session.catalogs.enumerated() {
            for device in catalog.image.devices {
                let name = BlobIdentity.blobName(of: catalog.image, device: device.id)
                if rows[name] == nil {
                    order.append(name)
                    let tag = device.slot.map { $0.tag.isEmpty ? "(slot \(device.id))" : $0.tag } ?? catalog.label
                    rows[name] = BlobRow(device: device.id, tag: tag, images: [], sizeBytes: Int64(device.size))
                }
                if !rows[name]!.images.contains(i) { rows[name]!.images.append(i) }
            }
        }
        let cached = session.residentBytesByBlob(design: design)
        for name in order {
            let images = rows[name]!.images
            rows[name]!.containers = session.containers.filter { $0.layers.contains(where: images.contains) }.count  // layers of stacks count
            rows[name]!.cachedBytes = Int64(cached[name] ?? 0)
        }
        // Blobs (extra devices, where shared data lives) first, then the images' primaries.
        return order.map { rows[$0]! }.sorted { ($0.device == 0 ? 1 : 0, $0.tag) < ($1.device == 0 ? 1 : 0, $1.tag) }
    }

    // MARK: Shared

    var shared: [SharedRow] { refresh(); return cachedShared }

    private func makeShared() -> [SharedRow] {
        sharedRowsBase.map { base in
            var row = base.row
            let pages = base.files.reduce(UInt64(0)) { $0 + session.residentPages(of: $1, design: design) }
            let total = UInt64(base.files.count) * ((UInt64(max(row.sizeBytes, 1)) + 4095) / 4096)
            row.cachedFraction = total == 0 ? 0 : min(1, Double(pages) / Double(total))
            return row
        }
    }

    // MARK: Inode map

    func inodeMap(image: Int, file: TerminalUI.FileID) -> InodeMap? {
        guard image < session.catalogs.count else { return nil }
        let catalog = session.catalogs[image]
        let index = Int(file.rawValue)
        guard index < catalog.entries.count, catalog.entries[index].type == .regular else { return nil }
        let entry = catalog.entries[index]
        guard let inode = try? catalog.image.inode(entry.nid) else { return nil }
        let extents = ((try? catalog.image.extents(of: inode)) ?? []).prefix(4096).map { e -> InodeMap.Extent in
            switch e.location {
            case .hole:
                return .init(logicalOffset: Int64(e.logicalOffset), length: Int64(e.length), device: 0, deviceTag: "", physicalAddress: 0, kind: .hole)
            case .device(let id, let offset):
                let tag = id < catalog.image.devices.count ? (catalog.image.devices[id].slot?.tag ?? catalog.label) : "?"
                return .init(logicalOffset: Int64(e.logicalOffset), length: Int64(e.length), device: id, deviceTag: tag,
                             physicalAddress: Int64(offset), kind: e.chunk != nil ? .chunk : .plain)
            case .inline(let offset):
                return .init(logicalOffset: Int64(e.logicalOffset), length: Int64(e.length), device: 0, deviceTag: catalog.label, physicalAddress: Int64(offset), kind: .inline)
            case .compressed(let c):
                return .init(logicalOffset: Int64(e.logicalOffset), length: Int64(e.length), device: c.device, deviceTag: c.algorithm.name,
                             physicalAddress: Int64(c.physicalOffset), kind: .compressed)
            }
        }
        let container = session.containers.firstIndex { $0.layers.contains(image) } ?? 0
        let sfile = SessionFile(image: image, nid: entry.nid)
        let pages = session.pageResidency(of: sfile, design: design, container: container).map {
            InodeMap.Page(cachedBy: $0.chargedTo.map { Int($0.rawValue) }, shared: $0.spaceIsShared || $0.accessedByOthers)
        }
        return InodeMap(path: entry.path, sizeBytes: Int64(entry.size), layout: "\(inode.layout)", extents: Array(extents), pages: pages)
    }

    // MARK: Hit rates and comparison

    var hitRates: HitRates {
        let r = report
        var series: [HitRates.Series] = []
        for d in session.designs {
            let rates = session.hitRateSeries(design: d)
            let usage = r.policies.first { $0.design == d }
            for (c, samples) in rates.enumerated() {
                series.append(.init(container: c, policy: d.rawValue, samples: samples.map { $0 ?? .nan },
                                    overall: usage?.containers[c].hitRate ?? .nan))
            }
        }
        return HitRates(sampleInterval: session.sampleInterval, series: series)
    }

    var policyComparison: PolicyComparison {
        let r = report
        return PolicyComparison(containers: session.containers.map(\.name), rows: r.policies.map { p in
            .init(policy: p.design.rawValue, addedBytes: p.containers.map { Int64($0.chargedBytes) },
                  savedBytes: r.savedBytes(p), hitRate: p.hitRate ?? .nan)
        })
    }

    // MARK: Replay

    func tick(now: Double) throws {
        defer { lastNow = now }
        guard let last = lastNow, !paused, !session.isFinished else { return }
        replayClock += max(0, now - last) * speed
        // Skip idle gaps longer than two seconds of wall time.
        if session.position < session.steps.count, session.steps[session.position].time > replayClock + 2 * speed {
            replayClock = session.steps[session.position].time
        }
        var applied = 0
        while applied < maxStepsPerTick, session.position < session.steps.count, session.steps[session.position].time <= replayClock {
            try session.step()
            applied += 1
        }
        if applied > 0 { generation &+= 1 }
    }

    @discardableResult
    func perform(_ action: DashboardAction) throws -> String? {
        defer { generation &+= 1 }
        switch action {
        case .setPolicy(let name):
            guard let d = SharingDesign(rawValue: name), session.designs.contains(d) else { return "unknown policy \(name)" }
            design = d
            return "policy \(d.rawValue): \(d.summary)"
        case .read(let image, let file):
            guard image < session.catalogs.count else { return nil }
            let catalog = session.catalogs[image]
            let index = Int(file.rawValue)
            guard index < catalog.entries.count else { return nil }
            let entry = catalog.entries[index]
            let container = session.containers.firstIndex { $0.layers.contains(image) } ?? 0
            let file = SessionFile(image: image, nid: entry.nid)
            let before = session.report(sharing: false).policies.first { $0.design == design }?.containers[container]
            guard try session.read(file, container: container) else {
                return "cannot read \(entry.path): \(session.unreadableFiles[file] ?? "unreadable")"
            }
            let after = session.report(sharing: false).policies.first { $0.design == design }?.containers[container]
            let added = (after?.chargedBytes ?? 0) - (before?.chargedBytes ?? 0)
            let misses = (after?.misses ?? 0) - (before?.misses ?? 0)
            return "read \(entry.path) as \(session.containers[container].name): +\(added / 4096) pages, \(misses) misses (\(design.rawValue))"
        case .dropCaches:
            session.dropCaches()
            return "page cache dropped"
        case .togglePause:
            paused.toggle()
            return paused ? "paused" : "running"
        case .step:
            paused = true
            if try session.step() {
                replayClock = session.clock
                return "step \(session.position)/\(session.steps.count)"
            }
            return "replay finished"
        case .faster:
            speed = min(speed * 2, 1e6)
            return String(format: "speed %gx", speed)
        case .slower:
            speed = max(speed / 2, 1e-6)
            return String(format: "speed %gx", speed)
        }
    }
}
