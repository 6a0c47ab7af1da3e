import Foundation
import Inspector
import InspectorUI
import Live
import TerminalUI

/// The dashboard's view of a live host: the session panels (Shared chunks, Hit rates of the
/// model, all designs) come from a `SessionDashboard` over the monitor's session, which the
/// kernel's events feed; the header, Files, Blobs and the Inode map's pages show the real
/// residency measured through the mounts. Refreshed every `delay` seconds, as htop's `-d`.
final class LiveDashboard: DashboardDataSource {
    let monitor: LiveMonitor
    private let inner: SessionDashboard
    private(set) var delay: Double
    private(set) var generation: UInt64 = 1
    private var paused = false
    private var lastRefresh: Double?
    private let traceOut: String?
    /// Per image: the mounts showing it.
    private let mountsOfImage: [[Int]]
    private var hits: UInt64 = 0, misses: UInt64 = 0
    /// Per container: the kernel's hit rate of each refresh interval, and the totals.
    private var kernelRates: [[Double]]
    private var kernelTotals: [CacheCounts]

    init(monitor: LiveMonitor, delay: Double, traceOut: String?) {
        self.monitor = monitor
        self.delay = delay
        self.traceOut = traceOut
        inner = SessionDashboard(session: monitor.session, speed: 1)
        kernelRates = monitor.stream == nil ? [] : Array(repeating: [], count: monitor.session.containers.count)
        kernelTotals = Array(repeating: CacheCounts(), count: monitor.session.containers.count)
        mountsOfImage = monitor.session.catalogs.indices.map { image in monitor.inventory.mounts.indices.filter { monitor.inventory.mounts[$0].image == image } }
    }

    /// Stops writing a trace (if `w` is on) and the event stream; what was written, if anything.
    @discardableResult
    func finish() -> String? {
        defer { monitor.close() }
        guard let done = try? monitor.stopCapture() else { return nil }
        return "wrote \(done.events) events to \(done.path)"
    }

    /// Real resident pages of a catalog entry, over every mount of its image, and the pages the
    /// entry has in all of them.
    private func resident(image: Int, entry: Int) -> (pages: UInt64, of: UInt64) {
        let mounts = mountsOfImage[image]
        let catalog = monitor.session.catalogs[image]
        var pages: UInt64 = 0
        for m in mounts where m < monitor.scans.count && entry < monitor.scans[m].subtreePages.count { pages += monitor.scans[m].subtreePages[entry] }
        return (pages, catalog.entries[entry].subtreePages * UInt64(max(1, mounts.count)))
    }

    var header: DashboardHeader {
        var h = inner.header
        for i in h.images.indices {
            let r = resident(image: i, entry: 0)
            h.images[i].cachedFraction = r.of == 0 ? 0 : min(1, Double(r.pages) / Double(r.of))
        }
        h.cacheUsedBytes = Int64(monitor.scans.reduce(0) { $0 + $1.residentBytes })
        h.cacheCapacityBytes = nil
        let counts = CacheCounts(accesses: hits + misses, misses: misses)
        h.hitRate = monitor.stream == nil ? .nan : counts.hitRate
        let gone = monitor.scans.filter { !$0.reachable }.count
        var note = String(format: "LIVE %@ every %.1fs  %d events", monitor.residencyMethod, delay, monitor.eventCount)
        if paused { note += "  PAUSED" }
        if monitor.capture != nil { note += "  w: writing" }
        if let lost = monitor.stream?.lostEvents, lost > 0 { note += "  \(lost) lost" }
        if monitor.newMounts > 0 { note += "  \(monitor.newMounts) new (restart)" }
        if gone > 0 { note += "  \(gone) mount\(gone == 1 ? "" : "s") gone" }
        if monitor.stream == nil { note += monitor.privileged ? "  no events" : "  not root: own files only, no events" }
        h.note = note
        h.replay = ReplayStatus(clock: monitor.elapsed, eventsDone: monitor.eventCount, eventsTotal: monitor.eventCount, speed: 1, paused: paused)
        return h
    }

    func children(image: Int, of directory: EntryID) -> [FileRow] {
        inner.children(image: image, of: directory).map { row in
            var row = row
            let r = resident(image: image, entry: Int(row.id.rawValue))
            row.cachedFraction = r.of == 0 ? 0 : min(1, Double(r.pages) / Double(r.of))
            return row
        }
    }

    func ancestors(image: Int, of file: EntryID) -> [EntryID]? { inner.ancestors(image: image, of: file) }

    /// Blob rows with the real bytes cached from each: a row is one blob, which may be device
    /// 3 of one image and the primary device of another (a layer mounted as such).
    var blobs: [BlobRow] {
        let catalogs = monitor.session.catalogs
        return inner.blobs.map { row in
            var row = row
            guard let first = row.images.first else { return row }
            let name = BlobIdentity.blobName(of: catalogs[first].image, device: row.device)
            var bytes: UInt64 = 0
            var caches = 0
            for image in row.images {
                let ids = catalogs[image].image.devices.map(\.id).filter { BlobIdentity.blobName(of: catalogs[image].image, device: $0) == name }
                for m in mountsOfImage[image] where m < monitor.residentBytesByDevice.count {
                    let here = ids.reduce(UInt64(0)) { $0 + (monitor.residentBytesByDevice[m][$1] ?? 0) }
                    bytes += here
                    if here > 0 { caches += 1 }
                }
            }
            row.cachedBytes = Int64(bytes)
            // Each mount reads the blob through its own page cache: say when the sum spans several.
            row.separateCaches = max(1, caches)
            return row
        }
    }

    var shared: [SharedRow] { inner.shared }

    func inodeMap(image: Int, file: EntryID) -> InodeMap? {
        guard var map = inner.inodeMap(image: image, file: file) else { return nil }
        guard let m = mountsOfImage[image].first else { return map }
        let entry = monitor.session.catalogs[image].entries[Int(file.rawValue)]
        let mount = monitor.inventory.mounts[m]
        let vector = ResidencyScan.pages(of: mount.mountPoint + entry.path, size: entry.size, requireOwner: monitor.privileged ? nil : geteuid()) ?? []
        let container = monitor.containerOfMount[m]
        map.pages = vector.map { InodeMap.Page(cachedBy: $0 & 1 != 0 ? container : nil, shared: false) }
        return map
    }

    /// The kernel's hit rate per container and refresh (policy "kernel", first), then the model's.
    var hitRates: HitRates {
        var rates = inner.hitRates
        let kernel = kernelRates.indices.map { c in
            HitRates.Series(container: c, policy: "kernel", samples: kernelRates[c], overall: kernelTotals[c].hitRate)
        }
        rates.series = kernel + rates.series
        return rates
    }
    var policyComparison: PolicyComparison { inner.policyComparison }

    /// Events feed the model on every tick; the panels are recomputed once per refresh (the
    /// model's report is not free on big images), as htop redraws every `-d`.
    func tick(now: Double) throws {
        try monitor.pump()
        guard !paused else { return }
        if let last = lastRefresh, now - last < delay { return }
        lastRefresh = now
        refreshNow()
    }

    private func refreshNow() {
        monitor.rescan()
        var perContainer = Array(repeating: CacheCounts(), count: kernelTotals.count)
        for (m, c) in monitor.closeInterval().enumerated() {
            hits += c.hits; misses += c.misses
            // Hits are clamped per mount and interval; accesses = hits + misses keeps that.
            perContainer[monitor.containerOfMount[m]].accesses += c.hits + c.misses
            perContainer[monitor.containerOfMount[m]].misses += c.misses
        }
        for c in kernelRates.indices {
            kernelTotals[c].accesses += perContainer[c].accesses
            kernelTotals[c].misses += perContainer[c].misses
            kernelRates[c].append(perContainer[c].hitRate)
            if kernelRates[c].count > 4096 { kernelRates[c].removeFirst(1024) }
        }
        inner.invalidate()
        generation &+= 1
    }

    @discardableResult
    func perform(_ action: DashboardAction) throws -> String? {
        defer { generation &+= 1 }
        switch action {
        case .setPolicy:
            return try inner.perform(action)
        case .read(let image, let file):
            guard image < mountsOfImage.count, let m = mountsOfImage[image].first,
                  Int(file.rawValue) < monitor.session.catalogs[image].entries.count else { return nil }
            let entry = monitor.session.catalogs[image].entries[Int(file.rawValue)]
            let path = monitor.inventory.mounts[m].mountPoint + entry.path
            guard let handle = FileHandle(forReadingAtPath: path) else { return "cannot open \(path)" }
            defer { try? handle.close() }
            var total = 0
            while let chunk = try? handle.read(upToCount: 1 << 17), !chunk.isEmpty { total += chunk.count }
            refreshNow()
            return "read \(path) through the kernel: \(total) bytes"
        case .dropCaches:
            return "live: the host's page cache is not dropped from here (echo 3 > /proc/sys/vm/drop_caches)"
        case .togglePause:
            paused.toggle()
            return paused ? "refresh paused (events still counted)" : "refreshing"
        case .step:
            refreshNow()
            return "refreshed"
        case .faster:
            delay = max(0.1, delay / 2)
            return String(format: "refresh every %.1fs", delay)
        case .slower:
            delay = min(60, delay * 2)
            return String(format: "refresh every %.1fs", delay)
        }
    }

    /// `w`: starts or stops writing the live event stream to a native trace.
    func perform(key: Character) throws -> String? {
        guard key == "w" else { return nil }
        defer { generation &+= 1 }
        if let done = try monitor.stopCapture() {
            return "wrote \(done.events) events to \(done.path)"
        }
        guard monitor.stream != nil else { return "no event stream to write (needs root and tracefs)" }
        let path = traceOut ?? FileManager.default.currentDirectoryPath + "/erofs-top-live-\(Int(Date().timeIntervalSince1970)).jsonl"
        try monitor.startCapture(to: path)
        return "writing the live events to \(path) (w stops)"
    }
}
