import EROFS
import Foundation
import PageCacheModel
import Workload

/// Several images opened in process, a set of containers running from them, one shared page
/// cache model per sharing design, and a workload to replay through all of them in one pass.
///
/// Not thread-safe: drive it from one thread (the replay loop or the UI).
public final class Session {
    /// The settings in force (the model's may change, see `apply(_:)`).
    public internal(set) var configuration: SessionConfiguration
    public let catalogs: [ImageCatalog]
    public let containers: [SessionContainer]
    /// Per container: the merged view of its layer stack, nil for a single image.
    public let stacks: [LayerStack?]
    public let sharing: SharingIndex
    /// The whole workload, time-ordered, indexable (32 bytes a step; the only copy).
    public let steps: ReplaySteps
    public internal(set) var timelineDiagnostics: ReplayDiagnostics
    /// Each workload source (trace file, built-in workload and its container) and the time of its first step.
    public internal(set) var sourceStarts: [(label: String, time: Double)]
    public let designs: [SharingDesign]
    /// Trace events parsed, over all inputs.
    public internal(set) var traceEventCount: Int
    /// strace lines of system calls not modelled, by name, over all inputs.
    public internal(set) var unhandledCalls: [String: Int]
    /// Set when the workload is replayed as it is read (no steps kept, see `runToEnd`).
    var streaming: StreamedReplay?
    /// How long each phase of opening the session took.
    public let timings: SessionTimings

    /// The files the model knows, with their placement under every design (new with the settings).
    var registrar: FileRegistrar
    /// The model: one simulator per design, same containers, files and events.
    var simulator: MultiPolicySimulator
    /// Where the replay is in the workload, and the trace's handles open at that point.
    var cursor = ReplayCursor()
    /// Saved moments of the replay, to seek back without starting over.
    var checkpoints: ReplayCheckpoints
    /// Reads and drop-caches the user asked for, each at the position it was made.
    public internal(set) var userActions: [UserAction] = []
    /// Files that could not be read (and were left out of the replay), with the error.
    public internal(set) var unreadableFiles: [SessionFile: String] = [:]
    /// Set when the replay cannot go on (an image changed or could not be read); every later
    /// step throws it.
    public internal(set) var failure: ReplayFailure?
    /// Each image's files as they were when opened, to tell a changed image from a corrupt file.
    let sourceStamps: [[SourceFileStamp]]
    /// Files the workload has fault or map-around events for: their mappings are not estimated.
    var filesWithFaultEvents: Set<SessionFile> = []
    /// True while a workload step is applied (files it uses count from the next position).
    var applyingStep = false
    /// Each examined file's loader plan (nil: not an ELF object).
    var elfPlans: [SessionFile: ELFLoadPlan?] = [:]

    var files: FileRegistry { registrar.files }
    var spaces: AddressSpaceRegistry { registrar.spaces }
    var resolvers: [DesignResolver] { registrar.resolvers }
    var planner: PlacementPlanner { registrar.planner }
    /// Index of the next step to replay.
    public var position: Int { cursor.position }
    /// The last `note` the workload reached.
    public var lastNote: String? { cursor.lastNote }
    /// Mapped file bytes with no fault events (estimated or not), for the report's note.
    public var unobservedMappedBytes: UInt64 { cursor.unobservedMappedBytes }

    public var images: [Image] { catalogs.map(\.image) }
    public var isFinished: Bool { position >= steps.count }
    /// Replay time of the last step applied (seconds from the start).
    public var clock: Double { streaming.map { $0.clock ?? 0 } ?? (position == 0 ? 0 : steps[position - 1].time) }
    public var duration: Double { streaming.map { $0.clock ?? 0 } ?? steps.last?.time ?? 0 }

    /// Opens the images, walks them, analyses sharing and builds the timeline. With
    /// `keepSteps: false` (a report), traces are replayed as they are read by `runToEnd`, in
    /// memory that does not grow with the trace; `steps` stays empty then (no seeking). Inputs
    /// that need the whole workload first (built-in workloads, a trace run in each container in
    /// turn) keep their steps as usual.
    ///
    /// `reusing`: a session over the same images, labels and fingerprint source whose catalogs
    /// and sharing scan are taken as they are (nothing is read again), and, when it kept its
    /// steps and has the same workload, its steps too. Anything that differs is built anew.
    public init(_ configuration: SessionConfiguration, designs: [SharingDesign] = SharingDesign.standard, keepSteps: Bool = true,
                reusing other: Session? = nil) throws {
        self.configuration = configuration
        self.designs = designs
        var timings = SessionTimings()
        let reused = other.flatMap { $0.hasSameImages(as: configuration) ? $0 : nil }
        let images = try reused?.images ?? timings.measure(\.openImages) { try configuration.images.map { try Image($0) } }
        sourceStamps = reused?.sourceStamps ?? images.map(SourceFileStamp.stamps(of:))
        let catalogs = try reused?.catalogs ?? timings.measure(\.catalogs) {
            try images.enumerated().map { try ImageCatalog(image: $1, label: configuration.imageLabels[$0]) }
        }
        self.catalogs = catalogs
        containers = configuration.resolvedContainers()
        sharing = try reused?.sharing ?? timings.measure(\.sharing) { try SharingIndex(catalogs: catalogs, fingerprintSource: configuration.fingerprints) }
        let reusedSteps = reused.flatMap { $0.streaming == nil && $0.hasSameWorkload(as: configuration) ? $0 : nil }
        let stacks = containers.map { c -> LayerStack? in
            c.isStack ? LayerStack(layers: c.layers.map { images[$0] }, labels: c.layers.map { catalogs[$0].label }) : nil
        }
        self.stacks = stacks
        var builder = TimelineBuilder(containers: containers, catalogs: catalogs, stacks: stacks)
        let containerCount = containers.count
        var events = 0
        var unhandled: [String: Int] = [:]
        var starts: [(label: String, time: Double)] = []
        let streams = reusedSteps == nil && !keepSteps && StreamedReplay.canStream(configuration)
        if let reusedSteps {
            events = reusedSteps.traceEventCount
            unhandled = reusedSteps.unhandledCalls
            starts = reusedSteps.sourceStarts
        }
        steps = try reusedSteps?.steps ?? (streams ? ReplaySteps() : timings.measure(\.timeline) {
            // About one step per line of at least 24 bytes: reserved once (untouched room costs
            // no memory), so the steps never grow by copying.
            let traceBytes = configuration.traces.reduce(0) { total, input in
                let bytes = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int) ?? 0
                return total + bytes * (input.eachContainerInTurn ? max(1, containerCount) : 1)
            }
            builder.reserveSteps(min(traceBytes / 24, 1 << 31))
            for input in configuration.traces {
                // Parsed and bound batch by batch: only the steps are kept.
                let found = try builder.source(input.url.lastPathComponent) { try $0.addStreaming(input) }
                events += found.events
                unhandled.merge(found.unhandledCalls, uniquingKeysWith: +)
            }
            let resolved = configuration.resolvedContainers()
            for (workload, name) in configuration.builtinWorkloads {
                let targets = name.map { n in resolved.indices.filter { resolved[$0].name == n } } ?? Array(resolved.indices)
                for c in targets {
                    try builder.source(workload.rawValue + ":" + resolved[c].name) { try $0.addChecked(workload, container: c) }
                }
            }
            starts = builder.sourceStarts()
            return builder.takeSteps()
        })
        traceEventCount = events
        unhandledCalls = unhandled
        self.timings = timings
        timelineDiagnostics = reusedSteps?.timelineDiagnostics ?? builder.diagnostics
        sourceStarts = starts
        if streams { streaming = StreamedReplay() }
        (registrar, simulator) = Self.makeModel(configuration, catalogs: catalogs, sharing: sharing, designs: designs,
                                                containers: containers, duration: steps.last?.time, sampling: !streams)
        checkpoints = ReplayCheckpoints(start: simulator.saveState())
        filesWithFaultEvents = steps.faultedFiles()
    }

    /// An empty model for `configuration`: the registrar (placements depend on the domains) and
    /// one simulator per design with the configuration's readahead, fault-around and capacity.
    static func makeModel(_ configuration: SessionConfiguration, catalogs: [ImageCatalog], sharing: SharingIndex,
                          designs: [SharingDesign], containers: [SessionContainer], duration: Double?,
                          sampling: Bool = true) -> (FileRegistrar, MultiPolicySimulator) {
        let registrar = FileRegistrar(catalogs: catalogs, sharing: sharing, designs: designs, domains: configuration.imageDomains)
        var model = CacheConfiguration()
        model.readaheadKB = configuration.readaheadKB
        model.faultAroundKB = configuration.faultAroundKB
        model.capacityPages = configuration.cacheMB.map { $0 * 256 }
        // A streamed replay (a report) shows no time series: it takes no samples.
        model.sampleInterval = sampling ? configuration.sampleInterval ?? max(0.001, (duration ?? 1) / 200) : 0
        let simulator = MultiPolicySimulator(configuration: model, files: registrar.files, spaces: registrar.spaces,
                                             policies: zip(designs, registrar.resolvers).map { ($0.rawValue, $1 as any PageIdentityResolver) })
        for c in containers { simulator.registerContainer(name: c.name) }
        return (registrar, simulator)
    }

    /// Whether `configuration` names the same images, labels and fingerprint source as this
    /// session's (its catalogs and sharing scan hold for it).
    private func hasSameImages(as configuration: SessionConfiguration) -> Bool {
        configuration.images == self.configuration.images && configuration.imageLabels == self.configuration.imageLabels &&
            configuration.fingerprints == self.configuration.fingerprints
    }

    /// Whether `configuration` binds the same workload to the same containers as this session's
    /// (its steps hold for it; model settings such as the mmap estimate may differ).
    private func hasSameWorkload(as configuration: SessionConfiguration) -> Bool {
        let mine = self.configuration
        return configuration.resolvedContainers() == mine.resolvedContainers() &&
            configuration.traces == mine.traces &&
            configuration.builtinWorkloads.map { "\($0.workload.rawValue):\($0.container ?? "")" } ==
            mine.builtinWorkloads.map { "\($0.workload.rawValue):\($0.container ?? "")" }
    }

    /// The simulator of one design.
    func simulator(for design: SharingDesign) -> CacheSimulator? { simulator[design.rawValue] }
}
