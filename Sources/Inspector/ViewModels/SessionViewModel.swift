import EROFS
import PageCacheModel

/// What a dashboard shows of a session under one design: header figures, directory listings,
/// blobs, shared data, a file in detail, hit rates, the designs side by side and the timeline.
/// Figures are computed once per `generation` (bump it with `invalidate()` when the session
/// changed: a replay step, a seek, a read, new settings).
///
/// Front ends map these to their own types; nothing here knows about drawing.
public final class SessionViewModel {
    public let session: Session
    /// The design the figures are for.
    public var design: SharingDesign { didSet { if design != oldValue { invalidate() } } }
    /// Bumped on every change of the session or the design.
    public private(set) var generation: UInt64 = 1
    private var cachedGeneration: UInt64 = 0
    private var cachedReport: UsageReport?
    /// Residency figures of the design, kept up to date from the simulator's residency log.
    private var residencyFigures: ResidencyFigures?
    /// The figures of every design shown so far, so switching back to one goes on from where it was.
    private var figuresByDesign: [SharingDesign: ResidencyFigures] = [:]
    private var cachedBlobs: [BlobUsage] = []
    private var cachedShared: [SharedGroupUsage] = []
    /// Per image: files sharing content with another image below each directory entry.
    public let sharedBelow: [[Int: Int]]
    private let sharedBase: [(group: SharedGroupUsage, files: [SessionFile])]
    private let blobBase: [BlobUsage]
    /// Per image, per catalog entry: indexes of the shared groups that entry belongs to.
    private let groupsOfEntry: [[Int: [Int]]]
    /// Where each container and workload source starts (the timeline's markers).
    public let markers: [TimelineFigures.Marker]

    public init(session: Session, design: SharingDesign? = nil) {
        self.session = session
        self.design = design ?? (session.designs.contains(.blob) ? .blob : session.designs[0])
        sharedBelow = Self.sharedBelow(session)
        sharedBase = session.sharing.groups.map { group in
            let members = group.sharers.map { s in
                SharedGroupUsage.Member(image: s.image, entry: s.entry, path: session.catalogs[s.image].entries[s.entry].path)
            }
            let kind: SharedGroupUsage.Kind
            if case .chunk = group.kind { kind = .chunk } else { kind = .file }
            let files = group.sharers.map { SessionFile(image: $0.image, nid: session.catalogs[$0.image].entries[$0.entry].nid) }
            return (SharedGroupUsage(kind: kind, sizeBytes: group.length, members: members, cachedFraction: 0), files)
        }
        var groups: [[Int: [Int]]] = Array(repeating: [:], count: session.catalogs.count)
        for (g, group) in session.sharing.groups.enumerated() {
            for s in group.sharers { groups[s.image][s.entry, default: []].append(g) }
        }
        groupsOfEntry = groups
        blobBase = Self.blobs(of: session)
        markers = Self.markers(of: session)
    }

    /// Marks every figure stale.
    public func invalidate() { generation &+= 1 }

    private func refresh() {
        guard cachedGeneration != generation else { return }
        cachedGeneration = generation
        cachedReport = session.report(sharing: false)
        var changed: [Int]
        if residencyFigures?.design != design {
            let figures = figuresByDesign[design] ?? ResidencyFigures(session: session, design: design, groupFiles: sharedBase.map(\.files))
            figuresByDesign[design] = figures
            residencyFigures = figures
            cachedShared = sharedBase.map(\.group)
            figures.update()
            _ = figures.takeChangedGroups()
            changed = Array(sharedBase.indices)
        } else {
            residencyFigures!.update()
            changed = residencyFigures!.takeChangedGroups()
        }
        let figures = residencyFigures!
        let cached = figures.residentBytesByBlob
        cachedBlobs = blobBase.map { var b = $0; b.cachedBytes = cached[b.name] ?? 0; return b }
        for g in changed {
            let total = UInt64(sharedBase[g].files.count) * ((max(cachedShared[g].sizeBytes, 1) + 4095) / 4096)
            cachedShared[g].cachedFraction = total == 0 ? 0 : min(1, Double(figures.groupPages[g]) / Double(total))
        }
    }

    /// The usage report so far (without the shared-bytes walk).
    public var report: UsageReport { refresh(); return cachedReport! }
    /// Per image residency under the design (built on each call; frames use `residentPages(image:entry:)`).
    public var residency: [ResidencySnapshot] { refresh(); return residencyFigures!.snapshots }
    /// Resident data pages of catalog entry `entry` of `image` under the design (a directory: its subtree).
    public func residentPages(image: Int, entry: Int) -> UInt64 { refresh(); return residencyFigures!.residentPages(image: image, entry: entry) }

    // MARK: Header

    public var figures: SessionFigures {
        let r = report
        let usage = r.policies.first { $0.design == design }
        let images = session.catalogs.enumerated().map { i, catalog in
            let cached = residentPages(image: i, entry: 0)
            let pages = catalog.entries[0].subtreePages
            return ImageUsage(label: catalog.label, sizeBytes: catalog.entries[0].subtreeSize,
                              sharedFiles: session.sharing.sharedWithOtherImages[i].count,
                              cachedFraction: pages == 0 ? 0 : min(1, Double(cached) / Double(pages)))
        }
        return SessionFigures(design: design, images: images, residentBytes: usage?.residentBytes ?? 0,
                              capacityBytes: session.configuration.cacheMB.map { UInt64($0) << 20 },
                              savedBytes: usage.map { UInt64(max(0, r.savedBytes($0))) } ?? 0, hitRate: usage?.hitRate,
                              clock: session.clock, eventsDone: session.position, eventsTotal: session.stepCount,
                              isFinished: session.isFinished)
    }

    // MARK: Files

    /// The entries of directory `directory` (a catalog index) of `image`; empty when out of range.
    public func children(image: Int, of directory: Int) -> [EntryUsage] {
        guard image < session.catalogs.count else { return [] }
        let catalog = session.catalogs[image]
        guard directory >= 0, directory < catalog.entries.count else { return [] }
        return catalog.entries[directory].children.map { child in
            let e = catalog.entries[child]
            let isDir = e.type == .directory
            let cached = residentPages(image: image, entry: child)
            let shared = isDir ? (sharedBelow[image][child] ?? 0) : (session.sharing.sharedWithOtherImages[image][e.nid] ?? 0)
            return EntryUsage(entry: child, name: e.name, isDirectory: isDir, sizeBytes: isDir ? e.subtreeSize : e.size,
                              sharedWith: shared, cachedFraction: e.subtreePages == 0 ? 0 : min(1, Double(cached) / Double(e.subtreePages)))
        }
    }

    /// The directories from the root down to the parent of `entry`; nil when out of range.
    public func ancestors(image: Int, of entry: Int) -> [Int]? {
        guard image < session.catalogs.count else { return nil }
        let catalog = session.catalogs[image]
        guard entry >= 0, entry < catalog.entries.count else { return nil }
        var index = entry
        var chain: [Int] = []
        while index != 0 {
            index = catalog.entries[index].parent
            chain.append(index)
        }
        return chain.reversed()
    }

    // MARK: Blobs and shared data

    /// Every blob of the session: extra devices (where shared data lives) first, then the images' primaries.
    public var blobs: [BlobUsage] { refresh(); return cachedBlobs }

    /// Data stored once and used by several files, with its cached fraction.
    public var sharedGroups: [SharedGroupUsage] { refresh(); return cachedShared }

    // MARK: Designs

    /// Each container's hit rate over time under every design.
    public var hitRates: [HitRateSeries] {
        let r = report
        var series: [HitRateSeries] = []
        for d in session.designs {
            let usage = r.policies.first { $0.design == d }
            for (c, samples) in session.hitRateSeries(design: d).enumerated() {
                series.append(HitRateSeries(container: c, design: d, samples: samples, overall: usage?.containers[c].hitRate))
            }
        }
        return series
    }

    /// The designs side by side.
    public var comparison: [DesignComparison] {
        let r = report
        return r.policies.map { p in
            DesignComparison(design: p.design, addedBytes: p.containers.map(\.chargedBytes), savedBytes: r.savedBytes(p), hitRate: p.hitRate)
        }
    }

    // MARK: Building blocks

    /// Per image, per directory entry: the files below it with the same content in another image.
    static func sharedBelow(_ session: Session) -> [[Int: Int]] {
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
        return below
    }

    /// The session's blobs without cache figures, in display order.
    static func blobs(of session: Session) -> [BlobUsage] {
        var rows: [String: BlobUsage] = [:]
        var order: [String] = []
        for (i, catalog) in session.catalogs.enumerated() {
            for device in catalog.image.devices {
                let name = BlobIdentity.blobName(of: catalog.image, device: device.id)
                if rows[name] == nil {
                    order.append(name)
                    let tag = device.slot.map { $0.tag.isEmpty ? "(slot \(device.id))" : $0.tag } ?? catalog.label
                    rows[name] = BlobUsage(name: name, device: device.id, tag: tag, images: [], containers: 0,
                                           sizeBytes: UInt64(device.size), cachedBytes: 0)
                }
                if !rows[name]!.images.contains(i) { rows[name]!.images.append(i) }
            }
        }
        for name in order {
            let images = rows[name]!.images
            // Layers of stacks count: a container uses a blob when one of its layers does.
            rows[name]!.containers = session.containers.filter { $0.layers.contains(where: images.contains) }.count
        }
        return order.map { rows[$0]! }.sorted { ($0.device == 0 ? 1 : 0, $0.tag) < ($1.device == 0 ? 1 : 0, $1.tag) }
    }

    func groups(image: Int, entry: Int) -> [Int] { groupsOfEntry[image][entry] ?? [] }
}

extension SessionViewModel {
    /// The replay's time axis with markers where each container and each workload source starts.
    public var timeline: TimelineFigures {
        TimelineFigures(duration: session.duration, clock: session.clock, eventsDone: session.position,
                        eventsTotal: session.stepCount, markers: markers)
    }

    /// Container starts (first step of each container) and source starts, in time order.
    static func markers(of session: Session) -> [TimelineFigures.Marker] {
        var out: [TimelineFigures.Marker] = []
        var started = Set<Int>()
        for i in 0..<session.stepCount where !started.contains(session.container(ofStep: i)) {
            let c = session.container(ofStep: i)
            started.insert(c)
            out.append(.init(time: session.time(ofStep: i), event: i, label: session.containers[c].name, kind: .containerStart))
            if started.count == session.containers.count { break }
        }
        for source in session.sourceStarts {
            out.append(.init(time: source.time, event: session.firstStep(atOrAfter: source.time), label: source.label, kind: .traceSource))
        }
        return out.sorted { ($0.time, $0.event) < ($1.time, $1.event) }
    }
}

extension SessionViewModel {
    /// Reads a whole file (catalog index `entry` of `image`) in its first container, as the
    /// UI's `r` key does, and says what it cost under the design. Throws `ReplayFailure`.
    public func read(image: Int, entry index: Int) throws -> String? {
        guard image < session.catalogs.count else { return nil }
        let catalog = session.catalogs[image]
        guard index >= 0, index < catalog.entries.count else { return nil }
        let entry = catalog.entries[index]
        let container = session.firstContainer(of: image)
        let file = SessionFile(image: image, nid: entry.nid)
        let before = session.report(sharing: false).policies.first { $0.design == design }?.containers[container]
        defer { invalidate() }
        guard try session.read(file, container: container) else {
            return "cannot read \(entry.path): \(session.unreadableFiles[file] ?? "unreadable")"
        }
        let after = session.report(sharing: false).policies.first { $0.design == design }?.containers[container]
        let added = (after?.chargedBytes ?? 0) - (before?.chargedBytes ?? 0)
        let misses = (after?.misses ?? 0) - (before?.misses ?? 0)
        return "read \(entry.path) as \(session.containers[container].name): +\(added / 4096) pages, \(misses) misses (\(design.rawValue))"
    }
}
