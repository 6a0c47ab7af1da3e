import EROFS
import Foundation
import Inspector
import Workload

/// The live view's engine: the host's EROFS mounts opened in process, their real residency
/// (mincore through each mount), the kernel's filemap events of their devices counted into
/// hits and misses, and the page cache model of every design fed the same events.
///
/// Not thread-safe: drive it from one thread (the UI loop or the batch loop).
public final class LiveMonitor {
    public let inventory: LiveInventory
    /// The model: one container per overlay stack and per mount used by no stack.
    public let session: Session
    /// Root (and CAP_SYS_ADMIN for ftrace): without it, residency only, of the caller's files.
    public let privileged: Bool
    /// How residency is measured.
    public let residencyMethod = "mincore"
    public private(set) var stream: LiveEventStream?
    /// Why something is missing (no root, no tracefs …), for the header and the JSON.
    public private(set) var notes: [String] = []
    /// Per mount: the last residency scan.
    public private(set) var scans: [ResidencyScan] = []
    /// Per mount: hit and miss counts from the kernel's events.
    public private(set) var counters: [MountCounters]
    /// Events taken from the kernel.
    public private(set) var eventCount = 0
    /// Events of the mounts' devices that named no file of the image (never expected).
    public private(set) var unboundEvents = 0
    /// The container (index into `session.containers`) each mount's events are charged to.
    public let containerOfMount: [Int]
    /// When `w` is on: the events written to a native trace.
    public private(set) var capture: LiveCapture?
    /// Seconds since the start (monotonic).
    public var elapsed: Double { monotonicNow() - started }

    private let mountOfDevice: [String: Int]
    private let watches: (MountInfoEntry) -> Bool
    /// EROFS mounts that appeared after the start (restart to see them).
    public private(set) var newMounts = 0
    private var continuations = ReadContinuations()
    private var firstEventTime: Double?
    private var lastModelTime = 0.0
    private let started: Double

    /// Opens every image of `inventory` and, when privileged, starts the event stream.
    /// `watches` says which mounts that appear later would be this view's (they are counted in
    /// `newMounts`, not shown: the images are opened once).
    public init(inventory: LiveInventory, designs: [SharingDesign]? = nil, readaheadKB: Int? = nil,
                privileged: Bool = geteuid() == 0, events: Bool = true,
                watches: @escaping (MountInfoEntry) -> Bool = { _ in true }) throws {
        self.watches = watches
        guard !inventory.mounts.isEmpty else {
            throw LiveError("no EROFS mounts on this host (nothing of type erofs in /proc/self/mountinfo)")
        }
        self.inventory = inventory
        self.privileged = privileged
        started = monotonicNow()
        var config = SessionConfiguration(images: inventory.images)
        config.containers = inventory.containers.map { c in
            let layers = c.mounts.map { inventory.mounts[$0].image }
            return layers.count == 1 ? SessionContainer(name: c.name, image: layers[0]) : SessionContainer(name: c.name, layers: layers)
        }
        for m in inventory.mounts { if let d = m.domainID { config.imageDomains[m.image] = d } }
        config.imageLabels = Dictionary(uniqueKeysWithValues: inventory.images.indices.map { i in
            (i, URL(fileURLWithPath: inventory.images[i].path).lastPathComponent)
        })
        config.readaheadKB = readaheadKB ?? Self.readahead(of: inventory.mounts[0].device) ?? 128
        config.sampleInterval = 1
        let stacks = inventory.containers.contains { $0.mounts.count > 1 }
        do {
            session = try Session(config, designs: designs ?? (stacks ? SharingDesign.standard + [.flat] : SharingDesign.standard))
        } catch {
            throw LiveError("cannot open the mounted images: \(error)")
        }
        var containerOf = Array(repeating: 0, count: inventory.mounts.count)
        for (c, container) in inventory.containers.enumerated().reversed() {
            for m in container.mounts { containerOf[m] = c }
        }
        containerOfMount = containerOf
        mountOfDevice = Dictionary(inventory.mounts.enumerated().map { ($1.device, $0) }, uniquingKeysWith: { a, _ in a })
        counters = Array(repeating: MountCounters(), count: inventory.mounts.count)
        // The first scan's own path lookups read every directory once: done before the event
        // stream starts, so those pages are not counted as the load's misses.
        rescan(seeding: true)
        if !privileged {
            notes.append("not root: residency of your own files only (mincore reports every page of another's file as resident); no event stream, hit rates or model")
        } else if events {
            do {
                let stream = try LiveEventStream(devices: inventory.mounts.map(\.device))
                self.stream = stream
                for s in stream.sweptInstances { notes.append("removed the stale ftrace instance \(s)") }
            } catch {
                notes.append("no event stream: \(error)")
            }
        }
    }

    /// The bdi read_ahead_kb of a block-device mount, nil for file-backed mounts.
    static func readahead(of device: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/sys/class/bdi/\(device)/read_ahead_kb", encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Measures every mount's residency now, and which device (blob) each resident page's
    /// data comes from.
    public func rescan() { rescan(seeding: false) }

    /// With `seeding`, also puts what is cached into the model (at the start).
    private func rescan(seeding: Bool) {
        var perDevice: [[Int: UInt64]] = []
        var seeds: [(mount: Int, entry: Int, vector: [UInt8])] = []
        scans = inventory.mounts.enumerated().map { index, m in
            let catalog = session.catalogs[m.image]
            var bytes: [Int: UInt64] = [:]
            let attribute: (Int, [UInt8]) -> Void = { [self] entry, vector in
                if seeding { seeds.append((index, entry, vector)) }
                let ranges = self.deviceRanges(image: m.image, entry: entry)
                for (page, byte) in vector.enumerated() where byte & 1 != 0 {
                    let device = ranges.first { $0.pages.contains(UInt64(page)) }?.device ?? 0
                    bytes[device, default: 0] += UInt64(ResidencyScan.pageSize)
                }
            }
            var scan = ResidencyScan.scan(catalog, mountPoint: m.mountPoint, privileged: privileged, resident: attribute)
            for other in m.otherMountPoints where !scan.reachable {
                bytes = [:]
                seeds.removeAll { $0.mount == index }
                scan = ResidencyScan.scan(catalog, mountPoint: other, privileged: privileged, resident: attribute)
            }
            perDevice.append(bytes)
            return scan
        }
        residentBytesByDevice = perDevice
        let table = (try? MountTable.read()) ?? []
        newMounts = Set(table.filter { $0.fsType == "erofs" && mountOfDevice[$0.device] == nil && watches($0) }.map(\.device)).count
        for seed in seeds { seedModel(seed.mount, entry: seed.entry, vector: seed.vector) }
    }

    /// Adds a file's resident pages to every design's model, run by run.
    private func seedModel(_ mount: Int, entry: Int, vector: [UInt8]) {
        let image = inventory.mounts[mount].image
        let file = SessionFile(image: image, nid: session.catalogs[image].entries[entry].nid)
        var page = 0
        while page < vector.count {
            guard vector[page] & 1 != 0 else { page += 1; continue }
            var end = page
            while end < vector.count, vector[end] & 1 != 0 { end += 1 }
            guard (try? session.seedLive(file, page: UInt64(page), count: UInt64(end - page), container: containerOfMount[mount])) == true else { return }
            seededPages += end - page
            page = end
        }
    }

    /// Pages found cached at the start and put into the model.
    public private(set) var seededPages = 0

    /// Per mount: resident bytes by device id (0: the image itself).
    public private(set) var residentBytesByDevice: [[Int: UInt64]] = []
    private var rangesCache: [Int: [Int: [(pages: Range<UInt64>, device: Int)]]] = [:]

    /// Which device holds each page range of a file (from its extents; cached).
    private func deviceRanges(image: Int, entry: Int) -> [(pages: Range<UInt64>, device: Int)] {
        if let r = rangesCache[image]?[entry] { return r }
        let catalog = session.catalogs[image]
        var ranges: [(pages: Range<UInt64>, device: Int)] = []
        if catalog.image.devices.count > 1, let inode = try? catalog.image.inode(catalog.entries[entry].nid),
           let extents = try? catalog.image.extents(of: inode) {
            for e in extents {
                let device: Int
                switch e.location {
                case .device(let id, _): device = id
                case .compressed(let c): device = c.device
                default: device = 0
                }
                let first = e.logicalOffset / 4096, end = (e.logicalOffset + e.length + 4095) / 4096
                if end > first { ranges.append((first..<end, device)) }
            }
        }
        rangesCache[image, default: [:]][entry] = ranges
        return ranges
    }

    /// Whether each mount is still there (its root answers with the image's root inode).
    public var mountIsReachable: [Bool] { scans.map(\.reachable) }

    /// Takes the events that arrived, counts them and feeds them to every design's model.
    /// Returns how many. Throws `ReplayFailure` when an image can no longer be read.
    @discardableResult
    public func pump() throws -> Int {
        guard let stream else { return 0 }
        let events = stream.drain()
        for event in events { try take(event) }
        eventCount += events.count
        return events.count
    }

    private func take(_ event: TraceEvent) throws {
        let device: String?
        let nid: UInt64
        switch event.kind {
        case .getPages(.file(.nid(let n), let d), _, _), .fault(.file(.nid(let n), let d), _), .mapPages(.file(.nid(let n), let d), _, _):
            device = d; nid = n
        case .pageAdd(.nid(let n), let d, _, _), .pageDelete(.nid(let n), let d, _, _):
            device = d; nid = n
        default:
            unboundEvents += 1
            return
        }
        guard let device, let m = mountOfDevice[device] else { unboundEvents += 1; return }
        let image = inventory.mounts[m].image
        let file = SessionFile(image: image, nid: nid)
        let time = event.time ?? lastModelTime
        if firstEventTime == nil { firstEventTime = time }
        let t = max(lastModelTime, time - (firstEventTime ?? time))
        lastModelTime = t
        counters[m].events += 1
        let action: ReplayAction
        switch event.kind {
        case .getPages(_, let first, let last):
            let key = ReadContinuations.Key(pid: event.pid, device: device, nid: nid)
            guard !continuations.isContinuation(key, first: first, last: last) else { return }
            let end = min(last, lastPage(of: file) ?? last)
            if end >= first { counters[m].add(accesses: end - first + 1) }
            action = .getPages(file, first: first, last: last)
        case .fault(_, let page):
            counters[m].add(accesses: 1)
            action = .fault(file, page: page)
        case .mapPages(_, let first, let last):
            if last >= first { counters[m].add(accesses: last - first + 1) }
            action = .mapPages(file, first: first, last: last)
        case .pageAdd(_, _, let page, let count):
            counters[m].add(misses: count, metadata: !isRegular(file))
            action = .pageAdd(file, page: page, count: count)
        case .pageDelete(_, _, let page, let count):
            action = .pageDelete(file, page: page, count: count)
        default:
            return
        }
        capture?.append(event, mount: m, file: file, time: t)
        try session.applyLive(action, container: containerOfMount[m], time: t)
    }

    private func isRegular(_ file: SessionFile) -> Bool {
        let catalog = session.catalogs[file.image]
        guard let i = catalog.index(ofNID: file.nid) else { return false }
        return catalog.entries[i].type == .regular
    }

    /// The last page index of a file (its size rounded up), nil when unknown.
    private func lastPage(of file: SessionFile) -> UInt64? {
        let catalog = session.catalogs[file.image]
        guard let i = catalog.index(ofNID: file.nid) else { return nil }
        let size = catalog.entries[i].size
        return size == 0 ? nil : (size - 1) / 4096
    }

    /// Closes the current counting interval of every mount (see `LiveSample`).
    public func closeInterval() -> [CacheCounts] { counters.indices.map { counters[$0].closeInterval() } }

    /// Starts writing the events to a native trace at `path` (the UI's `w`).
    public func startCapture(to path: String) throws {
        capture = try LiveCapture(path: path, monitor: self)
    }

    /// Stops writing; returns the events written.
    @discardableResult
    public func stopCapture() throws -> (path: String, events: Int)? {
        guard let c = capture else { return nil }
        capture = nil
        return try c.finish()
    }

    /// Stops the event stream and removes its ftrace instance.
    public func close() {
        stream?.close()
        stream = nil
    }

    deinit { close() }
}

func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
