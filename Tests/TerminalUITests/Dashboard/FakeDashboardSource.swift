@testable import TerminalUI

/// A hand-made data source for dashboard tests: the seed scenario (a base
/// image and two application images built on it, one container each), a few
/// files, blobs, shared rows and hit-rate series. Actions are recorded;
/// `bump()` changes the generation as a replay tick would. With `failure` set,
/// ticks and actions throw it, as a replay that can no longer read its images.
/// With `duration` set it has a timeline (5000 events spread evenly over the
/// duration, container starts at events 0, 1500 and 3000, a second trace file
/// from 2500) and seeks move `eventsDone`; with `modelKnobs` set it has knobs
/// and `apply` stores them. Seeks and applied knobs are recorded.
final class FakeDashboardSource: DashboardDataSource {
    private(set) var generation: UInt64 = 1
    var actions: [DashboardAction] = []
    var ticks: [Double] = []
    var failure: Error?
    var policy = "blob"
    var paused = false
    var eventsDone = 1234
    let eventsTotal = 5000
    /// Seconds of trace; nil: no timeline (the default, as the live view).
    var duration: Double?
    var seeks: [SeekTarget] = []
    var modelKnobs: ModelKnobs?
    var appliedKnobs: [ModelKnobs] = []
    /// Inode maps carry per-container pages and, for shared pages, the same
    /// path in the other images as sharers.
    var perDesignDetail = false

    static let MiB: Int64 = 1 << 20

    let images = ["tensorflow-base.erofs", "tensorflow-v1.erofs", "tensorflow-v2.erofs"]

    func bump() { generation += 1; eventsDone += 100 }

    var header: DashboardHeader {
        DashboardHeader(
            containers: [ContainerInfo(name: "base", image: 0), ContainerInfo(name: "app-v1", image: 1),
                         ContainerInfo(name: "app-v2", image: 2)],
            images: images.enumerated().map { i, label in
                ImageSummary(label: label, root: 1, sizeBytes: (160 + Int64(i) * 8) * Self.MiB,
                          sharedFiles: i == 0 ? 2 : 3, cachedFraction: [0.94, 0.41, 0.12][i])
            },
            policy: policy, policies: ["none", "blob", "inode", "chunk"],
            replay: ReplayStatus(clock: 12.3, eventsDone: eventsDone, eventsTotal: eventsTotal, speed: 4, paused: paused),
            cacheUsedBytes: 165 * Self.MiB, cacheCapacityBytes: nil, savedBytes: 300 * Self.MiB, hitRate: 0.815)
    }

    /// Directory tree of every image (same ids, sizes differ under /app).
    func children(image: Int, of directory: EntryID) -> [FileRow] {
        let m = Self.MiB
        switch directory.rawValue {
        case 1:
            return [FileRow(id: 2, name: "usr", isDirectory: true, sizeBytes: 156 * m, sharedWith: 2, cachedFraction: 0.9),
                    FileRow(id: 5, name: "app", isDirectory: true, sizeBytes: (4 + Int64(image) * 8) * m, sharedWith: 0,
                            cachedFraction: 0.25),
                    FileRow(id: 6, name: "etc", isDirectory: true, sizeBytes: 12_288)]
        case 2:
            return [FileRow(id: 3, name: "lib", isDirectory: true, sizeBytes: 155 * m, sharedWith: 2, cachedFraction: 0.91),
                    FileRow(id: 4, name: "bin", isDirectory: true, sizeBytes: 1 * m, sharedWith: 1, cachedFraction: 1)]
        case 3:
            return [FileRow(id: 10, name: "libtensorflow.so.2", sizeBytes: 150 * m, sharedWith: 2, cachedFraction: 0.93),
                    FileRow(id: 11, name: "libpython3.11.so.1.0", sizeBytes: 5 * m, sharedWith: 2, cachedFraction: 0.4),
                    FileRow(id: 12, name: "libz.so.1", sizeBytes: 98_304, sharedWith: 0, cachedFraction: 0)]
        case 4:
            return [FileRow(id: 20, name: "python3", sizeBytes: 1 * m, sharedWith: 2, cachedFraction: 1)]
        case 5:
            return [FileRow(id: 30, name: "model.pb", sizeBytes: (3 + Int64(image) * 8) * m, cachedFraction: 0.3),
                    FileRow(id: 31, name: "main.py", sizeBytes: 20_480, cachedFraction: 1)]
        case 6:
            return [FileRow(id: 40, name: "os-release", sizeBytes: 12_288)]
        default:
            return []
        }
    }

    func ancestors(image: Int, of file: EntryID) -> [EntryID]? {
        switch file.rawValue {
        case 2, 5, 6: return [1]
        case 3, 4: return [1, 2]
        case 10, 11, 12: return [1, 2, 3]
        case 20: return [1, 2, 4]
        case 30, 31: return [1, 5]
        case 40: return [1, 6]
        default: return nil
        }
    }

    /// Replaces the blob rows below when set.
    var blobRows: [BlobRow]?

    var blobs: [BlobRow] {
        let m = Self.MiB
        if let blobRows { return blobRows }
        return [
            BlobRow(device: 0, tag: "tensorflow-base.erofs", images: [0], sizeBytes: 2 * m, cachedBytes: m / 2, containers: 1),
            BlobRow(device: 0, tag: "tensorflow-v1.erofs", images: [1], sizeBytes: 2 * m, cachedBytes: m / 4, containers: 1),
            BlobRow(device: 0, tag: "tensorflow-v2.erofs", images: [2], sizeBytes: 2 * m, cachedBytes: 0, containers: 1),
            BlobRow(device: 1, tag: "sha256:3f2a9c0d1e", images: [0, 1, 2], sizeBytes: 156 * m, cachedBytes: 140 * m, containers: 3),
            BlobRow(device: 2, tag: "sha256:9b41e7aa02", images: [1], sizeBytes: 4 * m, cachedBytes: m, containers: 1),
            BlobRow(device: 2, tag: "sha256:c07d55f310", images: [2], sizeBytes: 12 * m, cachedBytes: 3 * m, containers: 1),
        ]
    }

    var shared: [SharedRow] {
        let m = Self.MiB
        func everywhere(_ path: String, _ file: EntryID) -> [SharedFileRef] {
            (0..<3).map { SharedFileRef(image: $0, path: path, file: file) }
        }
        return [
            SharedRow(kind: .file, sizeBytes: 150 * m, sharers: everywhere("/usr/lib/libtensorflow.so.2", 10), cachedFraction: 0.93),
            SharedRow(kind: .file, sizeBytes: 5 * m, sharers: everywhere("/usr/lib/libpython3.11.so.1.0", 11), cachedFraction: 0.4),
            SharedRow(kind: .file, sizeBytes: 1 * m, sharers: everywhere("/usr/bin/python3", 20), cachedFraction: 1),
            SharedRow(kind: .chunk, sizeBytes: 4 * m, sharers: [SharedFileRef(image: 1, path: "/app/model.pb", file: 30),
                                                               SharedFileRef(image: 2, path: "/app/model.pb", file: 30)],
                      cachedFraction: 0),
            SharedRow(kind: .chunk, sizeBytes: 64 * 1024, sharers: [SharedFileRef(image: 2, path: "/app/model.pb", file: 30),
                                                                    SharedFileRef(image: 2, path: "/app/main.py", file: 31)],
                      cachedFraction: 0.5),
        ]
    }

    func inodeMap(image: Int, file: EntryID) -> InodeMap? {
        guard let row = (children(image: image, of: parent(of: file)).first { $0.id == file }), !row.isDirectory else {
            return nil
        }
        let chunk: Int64 = 1 << 20
        let chunks = Int((row.sizeBytes + chunk - 1) / chunk)
        let extents = (0..<min(chunks, 40)).map { i in
            InodeMap.Extent(logicalOffset: Int64(i) * chunk, length: min(chunk, row.sizeBytes - Int64(i) * chunk),
                            device: file.rawValue < 30 ? 1 : 2, deviceTag: file.rawValue < 30 ? "sha256:3f2a9c0d1e" : "sha256:9b41e7aa02",
                            physicalAddress: 0x40_0000 + Int64(i) * chunk, kind: .chunk)
        }
        let pageCount = Int((row.sizeBytes + 4095) / 4096)
        let pages = (0..<pageCount).map { p -> InodeMap.Page in
            let f = Double(p) / Double(max(1, pageCount))
            if f >= row.cachedFraction { return .absent }
            return InodeMap.Page(cachedBy: p % 7 == 0 ? 1 : 0, shared: row.sharedWith > 0 && p % 3 == 0)
        }
        let folders: [EntryID: String] = [1: "/", 2: "/usr/", 3: "/usr/lib/", 4: "/usr/bin/", 5: "/app/", 6: "/etc/"]
        let path = (folders[parent(of: file)] ?? "/") + row.name
        guard perDesignDetail else {
            return InodeMap(path: path, sizeBytes: row.sizeBytes, layout: "chunked, 1 MiB chunks", extents: extents, pages: pages)
        }
        // Shared pages: the other images hold the same path. Container c (image c) sees
        // its own image's pages and every shared page; the first half of the file only.
        let others = images.indices.filter { $0 != image }.map { images[$0] + ":" + path }
        let detailed = pages.map { p in InodeMap.Page(cachedBy: p.cachedBy, shared: p.shared, sharedWith: p.shared ? others : []) }
        let views = (0..<3).map { c in
            detailed.enumerated().map { i, p in (p.shared || c == image) && i < detailed.count / 2 ? p : .absent }
        }
        return InodeMap(path: path, sizeBytes: row.sizeBytes, layout: "chunked, 1 MiB chunks",
                        extents: extents, pages: detailed, containerPages: views)
    }

    private func parent(of file: EntryID) -> EntryID {
        ancestors(image: 0, of: file)?.last ?? 1
    }

    var hitRates: HitRates {
        let policies = ["none", "blob", "inode", "chunk"]
        var series: [HitRates.Series] = []
        for (p, policy) in policies.enumerated() {
            for c in 0..<3 {
                let samples = (0..<40).map { i in min(1, Double(i) / 40 * (0.5 + 0.15 * Double(p)) + 0.1 * Double(c)) }
                series.append(HitRates.Series(container: c, policy: policy, samples: samples,
                                              overall: 0.55 + 0.1 * Double(p) - 0.05 * Double(c)))
            }
        }
        return HitRates(sampleInterval: 0.5, series: series)
    }

    var policyComparison: PolicyComparison {
        let m = Self.MiB
        let none: [Int64] = [150 * m, 150 * m, 152 * m]
        func row(_ policy: String, _ added: [Int64], _ hits: Double) -> PolicyComparison.Row {
            PolicyComparison.Row(policy: policy, addedBytes: added,
                                 savedBytes: none.reduce(0, +) - added.reduce(0, +), hitRate: hits)
        }
        return PolicyComparison(containers: ["base", "app-v1", "app-v2"], rows: [
            row("none", none, 0.61),
            row("blob", [150 * m, 7 * m, 9 * m], 0.78),
            row("inode", [150 * m, 6 * m, 8 * m], 0.8),
            row("chunk", [150 * m, 5 * m, 6 * m], 0.82),
        ])
    }

    func tick(now: Double) throws {
        ticks.append(now)
        if let failure { throw failure }
    }

    func perform(_ action: DashboardAction) throws -> String? {
        actions.append(action)
        if let failure { throw failure }
        switch action {
        case .setPolicy(let p): policy = p
        case .togglePause: paused.toggle()
        default: break
        }
        generation += 1
        return nil
    }

    var timeline: TimelineInfo? {
        guard let duration else { return nil }
        func time(_ event: Int) -> Double { duration * Double(event) / Double(eventsTotal) }
        return TimelineInfo(duration: duration, clock: time(eventsDone), eventsDone: eventsDone, eventsTotal: eventsTotal,
                            markers: [
                                .init(time: 0, event: 0, label: "base", kind: .containerStart),
                                .init(time: time(1500), event: 1500, label: "app-v1", kind: .containerStart),
                                .init(time: time(2500), event: 2500, label: "v2.strace", kind: .traceSource),
                                .init(time: time(3000), event: 3000, label: "app-v2", kind: .containerStart),
                            ])
    }

    func seek(to target: SeekTarget) throws -> String? {
        seeks.append(target)
        if let failure { throw failure }
        guard let duration else { return "seek not available" }
        switch target {
        case .event(let n): eventsDone = n
        case .time(let t): eventsDone = Int((t / duration * Double(eventsTotal)).rounded(.down))
        case .relative(let f): eventsDone += Int((f * Double(eventsTotal)).rounded())
        }
        eventsDone = min(eventsTotal, max(0, eventsDone))
        generation += 1
        return "at event \(eventsDone)"
    }

    var knobs: ModelKnobs? { modelKnobs }

    func apply(knobs: ModelKnobs) throws -> String? {
        appliedKnobs.append(knobs)
        if let failure { throw failure }
        guard modelKnobs != nil else { return "knobs not available" }
        modelKnobs = knobs
        generation += 1
        return nil
    }
}
