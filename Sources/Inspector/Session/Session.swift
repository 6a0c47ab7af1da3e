import EROFS
import Foundation
import PageCacheModel
import Workload

/// Several images opened in process, a set of containers running from them, one shared page
/// cache model per sharing design, and a workload to replay through all of them in one pass.
///
/// Not thread-safe: drive it from one thread (the replay loop or the UI).
public final class Session {
    public let configuration: SessionConfiguration
    public let catalogs: [ImageCatalog]
    public let containers: [SessionContainer]
    public let sharing: SharingIndex
    public let planner: PlacementPlanner
    /// The whole workload, time-ordered.
    public let steps: [ReplayStep]
    public let timelineDiagnostics: ReplayDiagnostics
    public let designs: [SharingDesign]
    /// Trace events parsed, over all inputs.
    public let traceEventCount: Int
    /// How long each phase of opening the session took.
    public let timings: SessionTimings

    let files = FileRegistry()
    let spaces = AddressSpaceRegistry()
    let resolvers: [DesignResolver]
    /// How reads of compressed files widen to their extents (shared by the resolvers).
    let readmore: CompressedReadahead
    /// The model: one simulator per design, same containers, files and events.
    public let simulator: MultiPolicySimulator
    var fileIDs: [SessionFile: FileID] = [:]
    var sessionFiles: [SessionFile] = []
    var handles: [Int64: OpenFileID] = [:]
    var implicitHandles: [ImplicitKey: OpenFileID] = [:]
    /// The blob holding each registered file's data (nil: not in a device), found once at registration.
    var blobNames: [String?] = []
    var blobIndexes: [String: Int] = [:]
    /// Interned spaces of fingerprints and of page contents (by content id), so each is named once.
    var fingerprintSpaces: [SpaceIdentity: AddressSpaceID] = [:]
    var contentSpaces: [AddressSpaceID?] = []
    /// Files that could not be read (and were left out of the replay), with the error.
    public internal(set) var unreadableFiles: [SessionFile: String] = [:]
    /// Set when the replay cannot go on (an image changed or could not be read); every later
    /// step throws it.
    public internal(set) var failure: ReplayFailure?
    /// Each image's files as they were when opened, to tell a changed image from a corrupt file.
    let sourceStamps: [[SourceFileStamp]]
    /// Index of the next step to replay.
    public internal(set) var position = 0
    /// The last `note` the workload reached.
    public internal(set) var lastNote: String?

    struct ImplicitKey: Hashable { var container: Int; var file: FileID }

    public var images: [Image] { catalogs.map(\.image) }
    public var isFinished: Bool { position >= steps.count }
    /// Replay time of the last step applied (seconds from the start).
    public var clock: Double { position == 0 ? 0 : steps[position - 1].time }
    public var duration: Double { steps.last?.time ?? 0 }

    /// Opens the images, walks them, analyses sharing and builds the timeline.
    public init(_ configuration: SessionConfiguration, designs: [SharingDesign] = SharingDesign.allCases) throws {
        self.configuration = configuration
        self.designs = designs
        var timings = SessionTimings()
        let images = try timings.measure(\.openImages) { try configuration.images.map { try Image($0) } }
        sourceStamps = images.map(SourceFileStamp.stamps(of:))
        let catalogs = try timings.measure(\.catalogs) { try images.map { try ImageCatalog(image: $0) } }
        self.catalogs = catalogs
        containers = configuration.resolvedContainers()
        sharing = try timings.measure(\.sharing) { try SharingIndex(catalogs: catalogs, fingerprintSource: configuration.fingerprints) }
        planner = PlacementPlanner(catalogs: catalogs, sharing: sharing, domains: configuration.imageDomains)
        var builder = TimelineBuilder(containers: containers, catalogs: catalogs)
        var events = 0
        steps = try timings.measure(\.timeline) {
            for input in configuration.traces {
                let trace = try parseTrace(contentsOf: input.url, format: input.format, strict: input.strict)
                events += trace.events.count
                builder.add(trace, input: input)
            }
            let resolved = configuration.resolvedContainers()
            for (workload, name) in configuration.builtinWorkloads {
                let targets = name.map { n in resolved.indices.filter { resolved[$0].name == n } } ?? Array(resolved.indices)
                for c in targets { builder.add(workload, container: c) }
            }
            return builder.build()
        }
        traceEventCount = events
        self.timings = timings
        timelineDiagnostics = builder.diagnostics
        let readmore = CompressedReadahead()
        self.readmore = readmore
        resolvers = designs.map { DesignResolver(design: $0, readmore: readmore) }
        var model = CacheConfiguration()
        model.readaheadKB = configuration.readaheadKB
        model.faultAroundKB = configuration.faultAroundKB
        model.capacityPages = configuration.cacheMB.map { $0 * 256 }
        model.sampleInterval = max(0.001, (steps.last?.time ?? 1) / 200)
        simulator = MultiPolicySimulator(configuration: model, files: files, spaces: spaces,
                                         policies: zip(designs, resolvers).map { ($0.rawValue, $1 as any PageIdentityResolver) })
        for c in containers { simulator.registerContainer(name: c.name) }
    }

    /// The simulator of one design.
    public func simulator(for design: SharingDesign) -> CacheSimulator? { simulator[design.rawValue] }
}
