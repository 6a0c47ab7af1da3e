/// A generated data source of any size, for the frame benchmark and for
/// trying the dashboard without the engine: `images` images of `filesPerImage`
/// files each (in directories of about 1 000 files), three containers, a
/// fifth of the files shared across images, and a fake replay that caches a
/// few files per `advance()`.
///
/// Like a real adapter, it keeps its snapshots and changes them in place, so
/// each query is O(rows returned) at most.
public final class SyntheticDashboardSource: DashboardDataSource {
    public private(set) var generation: UInt64 = 1
    public let imageCount: Int
    public let filesPerImage: Int
    public let filesPerDirectory: Int
    public private(set) var policy = "blob"
    public let policies = ["none", "blob", "inode", "chunk"]
    private var paused = false
    private var speed = 1.0
    private var eventsDone = 0
    private var rng: UInt64 = 0x9E37_79B9_7F4A_7C15

    // Per image, per file (index = file number within the image).
    private var sizes: [Int64]
    private let totalSize: Int64
    private var cached: [[Double]]
    private var sharedRows: [SharedRow] = []
    private var series: [HitRates.Series] = []
    private var added: [[Int64]]

    public init(images: Int = 3, filesPerImage: Int = 100_000, filesPerDirectory: Int = 1_000) {
        imageCount = images
        self.filesPerImage = filesPerImage
        self.filesPerDirectory = max(1, filesPerDirectory)
        sizes = (0..<filesPerImage).map { i in Int64(4096 + (i &* 2_654_435_761) % (2 << 20)) }
        totalSize = sizes.reduce(0, +)
        cached = Array(repeating: Array(repeating: 0, count: filesPerImage), count: images)
        added = Array(repeating: Array(repeating: 0, count: images), count: 4)
        for i in stride(from: 0, to: filesPerImage, by: 5) {
            let path = Self.path(i, perDirectory: self.filesPerDirectory)
            sharedRows.append(SharedRow(kind: i % 10 == 0 ? .chunk : .file, sizeBytes: sizes[i],
                                        sharers: (0..<images).map { SharedFileRef(image: $0, path: path, file: Self.fileID(i)) }))
        }
        for p in policies {
            for c in 0..<images { series.append(HitRates.Series(container: c, policy: p, samples: [], overall: .nan)) }
        }
    }

    // MARK: ids: 1 is the root, 2... directories, files after them

    private var directoryCount: Int { (filesPerImage + filesPerDirectory - 1) / filesPerDirectory }
    private static func fileID(_ i: Int) -> EntryID { EntryID(UInt64(1_000_000 + i)) }
    private static func path(_ i: Int, perDirectory: Int) -> String { "/d\(i / perDirectory)/f\(i)" }

    /// Replays a few synthetic events: `files` files get cached a little more
    /// in some image, and every hit-rate series gets a sample.
    public func advance(files: Int = 50) {
        guard !paused else { return }
        for _ in 0..<files {
            let image = Int(next() % UInt64(imageCount))
            let file = Int(next() % UInt64(filesPerImage))
            cached[image][file] = min(1, cached[image][file] + 0.25)
            if file % 5 == 0 {
                let row = file / 5
                sharedRows[row].cachedFraction = min(1, sharedRows[row].cachedFraction + 0.25 / Double(imageCount))
            }
            for p in 0..<policies.count { added[p][image] += sizes[file] / Int64(4 * (p + 1)) }
        }
        for k in series.indices {
            let v = Double(next() % 1000) / 1000
            series[k].samples.append(v)
            if series[k].samples.count > 600 { series[k].samples.removeFirst(series[k].samples.count - 600) }
            series[k].overall = v
        }
        eventsDone += files
        generation += 1
    }

    private func next() -> UInt64 {
        rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
        return rng
    }

    // MARK: DashboardDataSource

    public var header: DashboardHeader {
        let total = totalSize
        let p = policies.firstIndex(of: policy) ?? 0
        let used = added[p].reduce(0, +)
        return DashboardHeader(
            containers: (0..<imageCount).map { ContainerInfo(name: "c\($0 + 1)", image: $0) },
            images: (0..<imageCount).map { ImageSummary(label: "image-\($0 + 1).erofs", root: 1, sizeBytes: total,
                                                     sharedFiles: filesPerImage / 5) },
            policy: policy, policies: policies,
            replay: ReplayStatus(clock: Double(eventsDone) / 1000, eventsDone: eventsDone, eventsTotal: 1_000_000,
                                 speed: speed, paused: paused),
            cacheUsedBytes: used, savedBytes: max(0, added[0].reduce(0, +) - used), hitRate: 0.5)
    }

    public func children(image: Int, of directory: EntryID) -> [FileRow] {
        if directory == 1 {
            return (0..<directoryCount).map { d in
                let range = d * filesPerDirectory..<min(filesPerImage, (d + 1) * filesPerDirectory)
                return FileRow(id: EntryID(UInt64(2 + d)), name: "d\(d)", isDirectory: true,
                               sizeBytes: sizes[range].reduce(0, +), sharedWith: range.count / 5)
            }
        }
        let d = Int(directory.rawValue) - 2
        guard d >= 0, d < directoryCount, image < imageCount else { return [] }
        let range = d * filesPerDirectory..<min(filesPerImage, (d + 1) * filesPerDirectory)
        return range.map { i in
            FileRow(id: Self.fileID(i), name: "f\(i)", sizeBytes: sizes[i], sharedWith: i % 5 == 0 ? imageCount - 1 : 0,
                    cachedFraction: cached[image][i])
        }
    }

    public func ancestors(image: Int, of file: EntryID) -> [EntryID]? {
        let i = Int(file.rawValue) - 1_000_000
        guard i >= 0, i < filesPerImage else { return nil }
        return [1, EntryID(UInt64(2 + i / filesPerDirectory))]
    }

    public var blobs: [BlobRow] {
        (0..<imageCount).map { BlobRow(device: 0, tag: "image-\($0 + 1).erofs", images: [$0], sizeBytes: 1 << 20, containers: 1) }
            + [BlobRow(device: 1, tag: "sha256:base", images: Array(0..<imageCount), sizeBytes: totalSize,
                       cachedBytes: added[1].reduce(0, +), containers: imageCount)]
    }

    public var shared: [SharedRow] { sharedRows }

    public func inodeMap(image: Int, file: EntryID) -> InodeMap? {
        let i = Int(file.rawValue) - 1_000_000
        guard i >= 0, i < filesPerImage, image < imageCount else { return nil }
        let size = sizes[i]
        let chunk: Int64 = 64 << 10
        let extents = stride(from: Int64(0), to: size, by: Int(chunk)).map { off in
            InodeMap.Extent(logicalOffset: off, length: min(chunk, size - off), device: 1, deviceTag: "sha256:base",
                            physicalAddress: off + Int64(i) << 21, kind: .chunk)
        }
        let pages = Int((size + 4095) / 4096)
        let resident = Int(Double(pages) * cached[image][i])
        return InodeMap(path: Self.path(i, perDirectory: filesPerDirectory), sizeBytes: size, layout: "chunked, 64 KiB chunks",
                        extents: extents,
                        pages: (0..<pages).map { $0 < resident ? InodeMap.Page(cachedBy: image, shared: i % 5 == 0) : .absent })
    }

    public var hitRates: HitRates { HitRates(sampleInterval: 0.05, series: series) }

    public var policyComparison: PolicyComparison {
        PolicyComparison(containers: (0..<imageCount).map { "c\($0 + 1)" }, rows: policies.enumerated().map { p, name in
            PolicyComparison.Row(policy: name, addedBytes: added[p],
                                 savedBytes: added[0].reduce(0, +) - added[p].reduce(0, +), hitRate: 0.5)
        })
    }

    /// When true, `tick(now:)` advances the fake replay ten times a second
    /// (times the speed), so the dashboard can be watched without an engine.
    public var autoplay = false
    private var lastAdvance: Double?

    public func tick(now: Double) {
        guard autoplay, !paused else { lastAdvance = nil; return }
        guard let last = lastAdvance else { lastAdvance = now; return }
        let period = 0.1 / speed
        var steps = 0
        var t = last
        while now - t >= period, steps < 10 {
            advance()
            t += period
            steps += 1
        }
        lastAdvance = steps == 10 ? now : t
    }

    public func perform(_ action: DashboardAction) -> String? {
        switch action {
        case .setPolicy(let p): policy = p
        case .togglePause: paused.toggle()
        case .step: advance(files: 1)
        case .faster: speed *= 2
        case .slower: speed /= 2
        case .dropCaches:
            for k in cached.indices { cached[k] = Array(repeating: 0, count: filesPerImage) }
        case .read(let image, let file):
            let i = Int(file.rawValue) - 1_000_000
            if i >= 0, i < filesPerImage, image < imageCount { cached[image][i] = 1 }
        }
        generation += 1
        return nil
    }
}
