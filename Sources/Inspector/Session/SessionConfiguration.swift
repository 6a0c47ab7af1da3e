import EROFS
import Foundation

/// Everything needed to open a session: images, containers, workloads and model settings.
public struct SessionConfiguration: Sendable {
    /// The images, each with its devices (see `ImageSpec`).
    public var images: [ImageSpec]
    /// Containers; empty means one per image, named after the image file.
    public var containers: [SessionContainer] = []
    /// Recorded traces, merged by time.
    public var traces: [TraceInput] = []
    /// Built-in workloads, each for one container (nil = every container in turn), run after the traces.
    public var builtinWorkloads: [(workload: BuiltinWorkload, container: String?)] = []
    /// Where the `inode` policy's fingerprints come from.
    public var fingerprints: FingerprintSource = .stored
    /// Readahead window (the bdi's read_ahead_kb).
    public var readaheadKB = 128
    /// Fault-around window (fault_around_bytes / 1024).
    public var faultAroundKB = 64
    /// Page cache capacity in MiB (nil = unbounded).
    public var cacheMB: Int?
    /// Replay page-level events (ftrace/native `add`/`delete`) as the cache's contents instead of
    /// modelling readahead from access events: exact for `none`, meaningless for the others.
    public var replayPageEvents = false
    /// List the pages each file added, per container and design, in the report (`report --per-file`).
    public var perFile = false
    /// Share domain (`domain_id=`) of each image's mount; unlisted images use "" (one domain).
    /// Blobs and fingerprints are only shared within a domain.
    public var imageDomains: [Int: String] = [:]
    /// Short names of images for tables (default: the file name), e.g. `sha256:0123456789ab`
    /// for OCI layers converted into a cache.
    public var imageLabels: [Int: String] = [:]
    /// Seconds between hit-rate samples (nil: 1/200 of the workload's duration). The live view,
    /// whose workload has no end, sets it.
    public var sampleInterval: Double?

    /// How mappings whose pages the trace does not show faults for are replayed (see
    /// `MmapFaultEstimate`).
    public var mmapFaults: MmapFaultEstimate = .estimate
    /// What `.estimate` touches in a mapping of a file that is not an ELF object.
    public var mmapTouch: MmapTouch = .first

    public init(images: [ImageSpec]) { self.images = images }

    /// The containers to use: the configured ones, or one per image named after it
    /// ("requests-v1" for requests-v1.erofs; "name#2" when two images share a file name).
    public func resolvedContainers() -> [SessionContainer] {
        if !containers.isEmpty { return containers }
        var used: [String: Int] = [:]
        return images.enumerated().map { index, spec in
            var name = URL(fileURLWithPath: spec.path).deletingPathExtension().lastPathComponent
            used[name, default: 0] += 1
            if used[name]! > 1 { name += "#\(used[name]!)" }
            return SessionContainer(name: name, image: index)
        }
    }
}

/// Faults a trace does not show: strace logs (and native traces without fault events) say a
/// file range was mapped, never which of its pages were then touched.
public enum MmapFaultEstimate: String, Sendable, CaseIterable {
    /// Only what the trace shows: a mapping without fault events reads nothing (the low bound).
    case low
    /// ELF objects fault the pages the kernel and the dynamic loader touch (`ELFLoadPlan`);
    /// other mappings follow `MmapTouch`. Each touch is a fault through mmap read-around.
    case estimate
    /// Every mapped page faults, with read-around (the high bound).
    case high
}

/// What a mapping of a file that is not an ELF object touches under `.estimate`.
public enum MmapTouch: String, Sendable, CaseIterable {
    case none
    /// The first page of each mapping (the default: a program maps a file to read it).
    case first
    /// Every page of the mapping.
    case all
}
