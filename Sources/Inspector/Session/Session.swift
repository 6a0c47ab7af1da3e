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
    /// Per container: the merged view of its layer stack, nil for a single image.
    public let stacks: [LayerStack?]
    public let sharing: SharingIndex
    public let planner: PlacementPlanner
    /// The whole workload, time-ordered, indexable (32 bytes a step; the only copy).
    public let steps: ReplaySteps
    public let timelineDiagnostics: ReplayDiagnostics
    public let designs: [SharingDesign]
    /// Trace events parsed, over all inputs.
    public let traceEventCount: Int
    /// strace lines of system calls not modelled, by name, over all inputs.
    public let unhandledCalls: [String: Int]
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

    /// The file behind each open trace handle (for mmap estimates).
    var handleFiles: [Int64: SessionFile] = [:]
    /// Files the workload has fault or map-around events for: their mappings are not estimated.
    var filesWithFaultEvents: Set<SessionFile> = []
    /// Each examined file's loader plan (nil: not an ELF object).
    var elfPlans: [SessionFile: ELFLoadPlan?] = [:]
    /// Loader-plan pages not yet touched, per open handle (a loader maps an object in pieces).
    var pendingPlanPages: [Int64: Set<UInt64>] = [:]
    /// Mapped file bytes with no fault events (estimated or not), for the report's note.
    public internal(set) var unobservedMappedBytes: UInt64 = 0

    public var images: [Image] { catalogs.map(\.image) }
    public var isFinished: Bool { position >= steps.count }
    /// Replay time of the last step applied (seconds from the start).
    public var clock: Double { position == 0 ? 0 : steps[position - 1].time }
    public var duration: Double { steps.last?.time ?? 0 }

    /// Opens the images, walks them, analyses sharing and builds the timeline.
    public init(_ configuration: SessionConfiguration, designs: [SharingDesign] = SharingDesign.standard) throws {
        self.configuration = configuration
        self.designs = designs
        var timings = SessionTimings()
        let images = try timings.measure(\.openImages) { try configuration.images.map { try Image($0) } }
        sourceStamps = images.map(SourceFileStamp.stamps(of:))
        let catalogs = try timings.measure(\.catalogs) { try images.enumerated().map { try ImageCatalog(image: $1, label: configuration.imageLabels[$0]) } }
        self.catalogs = catalogs
        containers = configuration.resolvedContainers()
        sharing = try timings.measure(\.sharing) { try SharingIndex(catalogs: catalogs, fingerprintSource: configuration.fingerprints) }
        planner = PlacementPlanner(catalogs: catalogs, sharing: sharing, domains: configuration.imageDomains)
        let stacks = containers.map { c -> LayerStack? in
            c.isStack ? LayerStack(layers: c.layers.map { images[$0] }, labels: c.layers.map { catalogs[$0].label }) : nil
        }
        self.stacks = stacks
        var builder = TimelineBuilder(containers: containers, catalogs: catalogs, stacks: stacks)
        let containerCount = containers.count
        var events = 0
        var unhandled: [String: Int] = [:]
        steps = try timings.measure(\.timeline) {
            // About one step per line of at least 24 bytes: reserved once (untouched room costs
            // no memory), so the steps never grow by copying.
            let traceBytes = configuration.traces.reduce(0) { total, input in
                let bytes = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int) ?? 0
                return total + bytes * (input.eachContainerInTurn ? max(1, containerCount) : 1)
            }
            builder.reserveSteps(min(traceBytes / 24, 1 << 31))
            for input in configuration.traces {
                // Parsed and bound batch by batch: only the steps are kept.
                let found = try builder.addStreaming(input)
                events += found.events
                unhandled.merge(found.unhandledCalls, uniquingKeysWith: +)
            }
            let resolved = configuration.resolvedContainers()
            for (workload, name) in configuration.builtinWorkloads {
                let targets = name.map { n in resolved.indices.filter { resolved[$0].name == n } } ?? Array(resolved.indices)
                for c in targets { try builder.addChecked(workload, container: c) }
            }
            return builder.takeSteps()
        }
        traceEventCount = events
        unhandledCalls = unhandled
        self.timings = timings
        timelineDiagnostics = builder.diagnostics
        let readmore = CompressedReadahead()
        self.readmore = readmore
        let spaces = self.spaces
        resolvers = designs.map { design in
            guard design == .flat else { return DesignResolver(design: design, readmore: readmore) }
            return DesignResolver(design: design, readmore: readmore) { container, space in
                spaces.makeUnique(AddressSpaceDescriptor(kind: .inode, name: "flat/\(container.rawValue)/\(space.rawValue)"))
            }
        }
        var model = CacheConfiguration()
        model.readaheadKB = configuration.readaheadKB
        model.faultAroundKB = configuration.faultAroundKB
        model.capacityPages = configuration.cacheMB.map { $0 * 256 }
        model.sampleInterval = configuration.sampleInterval ?? max(0.001, (steps.last?.time ?? 1) / 200)
        simulator = MultiPolicySimulator(configuration: model, files: files, spaces: spaces,
                                         policies: zip(designs, resolvers).map { ($0.rawValue, $1 as any PageIdentityResolver) })
        for c in containers { simulator.registerContainer(name: c.name) }
        filesWithFaultEvents = steps.faultedFiles()
    }

    /// The simulator of one design.
    public func simulator(for design: SharingDesign) -> CacheSimulator? { simulator[design.rawValue] }
}
