/// Page cache use of one container under one design.
public struct ContainerUsage: Sendable, Equatable {
    public var container: String
    /// Bytes of page cache this container brought in (first-touch charging, as memcg does).
    public var chargedBytes: UInt64
    /// Of those, bytes of directory (and other metadata) pages.
    public var directoryBytes: UInt64
    /// Page lookups that found the page cached / not cached.
    public var hits: UInt64
    public var misses: UInt64
    /// Pages each file added on behalf of this container (with `perFile`), most first.
    public var files: [FileUsage]?
    /// Bounds on `chargedBytes` when the workload mapped file ranges without fault events
    /// (strace): `lowBytes` replays only what the trace shows, `highBytes` faults every mapped
    /// page with read-around. nil when there is nothing to bound.
    public var lowBytes: UInt64?
    public var highBytes: UInt64?

    public init(container: String, chargedBytes: UInt64 = 0, directoryBytes: UInt64 = 0, hits: UInt64 = 0, misses: UInt64 = 0,
                files: [FileUsage]? = nil) {
        self.container = container; self.chargedBytes = chargedBytes; self.directoryBytes = directoryBytes
        self.hits = hits; self.misses = misses; self.files = files
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.container == b.container && a.chargedBytes == b.chargedBytes && a.directoryBytes == b.directoryBytes &&
            a.hits == b.hits && a.misses == b.misses && a.files?.map(\.path) == b.files?.map(\.path) &&
            a.files?.map(\.addedPages) == b.files?.map(\.addedPages) && a.lowBytes == b.lowBytes && a.highBytes == b.highBytes
    }

    /// hits / (hits + misses), or nil before any lookup.
    public var hitRate: Double? { hits + misses == 0 ? nil : Double(hits) / Double(hits + misses) }
}

/// Pages one file added for one container, with the keys `erofs-top export` writes (`image`,
/// `layer`, `path`, `nid`), so replay results join with exported tables.
public struct FileUsage: Sendable, Equatable {
    /// The container's name (the export's `image`).
    public var image: String
    /// The label of the image file holding the inode (the export's `layer`).
    public var layer: String
    public var path: String
    public var nid: UInt64
    public var addedPages: UInt64
    public init(image: String, layer: String, path: String, nid: UInt64, addedPages: UInt64) {
        self.image = image; self.layer = layer; self.path = path; self.nid = nid; self.addedPages = addedPages
    }
}

/// The outcome of one design over the whole workload.
public struct PolicyUsage: Sendable, Equatable {
    public var design: SharingDesign
    public var containers: [ContainerUsage]
    /// Bytes resident at the end (≤ the sum of charges when a capacity evicted pages).
    public var residentBytes: UInt64
    public var evictedBytes: UInt64
    /// Resident bytes in address spaces used by two or more files or containers.
    public var sharedResidentBytes: UInt64
    /// Bytes added through each session image's files (all containers), by image index: with
    /// layer stacks, what each layer's mount added.
    public var imageAddedBytes: [UInt64] = []
    /// Of those, bytes of regular files' pages (directories and metadata left out).
    public var imageDataBytes: [UInt64] = []
    /// Bytes of page cache holding each blob's data (by blob name), each cached page once
    /// however many images or containers see it; filled by the full report (with sharing).
    public var blobCachedBytes: [String: UInt64] = [:]

    public init(design: SharingDesign, containers: [ContainerUsage], residentBytes: UInt64, evictedBytes: UInt64 = 0, sharedResidentBytes: UInt64 = 0) {
        self.design = design; self.containers = containers; self.residentBytes = residentBytes; self.evictedBytes = evictedBytes
        self.sharedResidentBytes = sharedResidentBytes
    }

    public var chargedBytes: UInt64 { containers.reduce(0) { $0 + $1.chargedBytes } }
    public var hits: UInt64 { containers.reduce(0) { $0 + $1.hits } }
    public var misses: UInt64 { containers.reduce(0) { $0 + $1.misses } }
    public var hitRate: Double? { hits + misses == 0 ? nil : Double(hits) / Double(hits + misses) }
}

/// What a replay cost under each design, with savings against `none`: the seed's table.
public struct UsageReport: Sendable, Equatable {
    public var containers: [SessionContainer]
    public var imageLabels: [String]
    public var policies: [PolicyUsage]
    public var workload: WorkloadSummary
    public var pageSize = 4096
    public var readaheadKB = 128
    /// File bytes mapped with no fault events in the trace (their faults are estimated).
    public var unobservedMappedBytes: UInt64 = 0
    /// Trace lines of system calls the strace parser does not model, by name.
    public var unhandledCalls: [String: Int] = [:]

    public init(containers: [SessionContainer], imageLabels: [String], policies: [PolicyUsage], workload: WorkloadSummary) {
        self.containers = containers; self.imageLabels = imageLabels; self.policies = policies; self.workload = workload
    }

    /// Percent of `none`'s bytes that `usage` saves (nil without a baseline or with nothing cached).
    public func savedPercent(_ usage: PolicyUsage) -> Double? {
        guard let base = baseline, base.chargedBytes > 0 else { return nil }
        return Double(savedBytes(usage)) * 100 / Double(base.chargedBytes)
    }

    /// Fills in each container's low and high bounds from reports of the same workload replayed
    /// with `MmapFaultEstimate.low` and `.high` (same containers and designs).
    public mutating func attachBounds(low: UsageReport, high: UsageReport) {
        for (p, policy) in policies.enumerated() {
            guard let l = low.policies.first(where: { $0.design == policy.design }),
                  let h = high.policies.first(where: { $0.design == policy.design }) else { continue }
            for c in policy.containers.indices where c < l.containers.count && c < h.containers.count {
                let estimate = policies[p].containers[c].chargedBytes
                // The estimate lies between them by construction of the modes; min/max keep the
                // bounds honest if read-around ordering makes a mode cross over.
                policies[p].containers[c].lowBytes = Swift.min(l.containers[c].chargedBytes, estimate)
                policies[p].containers[c].highBytes = Swift.max(h.containers[c].chargedBytes, estimate)
            }
        }
    }

    /// The `none` row, if it was run.
    public var baseline: PolicyUsage? { policies.first { $0.design == .none } }

    /// Bytes saved by `usage` against `none` (0 when `none` was not run).
    public func savedBytes(_ usage: PolicyUsage) -> Int64 {
        guard let base = baseline else { return 0 }
        return Int64(base.chargedBytes) - Int64(usage.chargedBytes)
    }
}

/// How much of the workload was replayed.
public struct WorkloadSummary: Sendable, Equatable {
    public var steps: Int
    public var traceEvents: Int
    public var malformedLines: Int
    public var outsideImage: Int
    public var unknownContainer: Int
    /// Seconds of trace time covered.
    public var duration: Double
    public var sources: [String]

    public init(steps: Int = 0, traceEvents: Int = 0, malformedLines: Int = 0, outsideImage: Int = 0,
                unknownContainer: Int = 0, duration: Double = 0, sources: [String] = []) {
        self.steps = steps; self.traceEvents = traceEvents; self.malformedLines = malformedLines
        self.outsideImage = outsideImage; self.unknownContainer = unknownContainer; self.duration = duration; self.sources = sources
    }
}
