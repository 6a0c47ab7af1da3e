/// Saved replay state, so a replay can go back to an earlier moment without starting over.
extension CacheSimulator {
    /// Everything a simulator's replay has changed: the cache's pages, counters, open files,
    /// mappings, clock and samples. The configuration, files, spaces and resolver are not part
    /// of it (they only ever grow, and a restored state ignores what it does not know).
    ///
    /// A value: saving costs nothing until the simulator changes again, then each array the
    /// change touches is copied once.
    public struct State {
        fileprivate var pages: ResidentPages
        fileprivate var containers: [ContainerStatistics]
        fileprivate var spaceCounters: ChunkedArray<SpaceCounter>
        fileprivate var fileCounters: ChunkedArray<FileStatistics>
        fileprivate var containerFileAdded: [[Int32]]
        fileprivate var totals: CacheTotals
        fileprivate var openFiles: ChunkedArray<OpenFile>
        fileprivate var freeOpenFiles: [Int32]
        fileprivate var mappings: Mappings
        fileprivate var implicitMappings: [UInt64: Int32]
        fileprivate var now: Double
        fileprivate var nextSampleTime: Double
        fileprivate var samples: [TimeSample]

        /// Rough bytes held by this state once the simulator has moved on (for checkpoint budgets).
        public var approximateBytes: Int {
            pages.approximateBytes + spaceCounters.count * MemoryLayout<SpaceCounter>.stride +
                fileCounters.count * MemoryLayout<FileStatistics>.stride +
                containerFileAdded.reduce(0) { $0 + $1.count * 4 } + openFiles.count * MemoryLayout<OpenFile>.stride +
                mappings.approximateBytes + samples.count * 64
        }
    }

    /// The replay state now (between operations).
    public func saveState() -> State {
        precondition(freshSlots.isEmpty, "state saved in the middle of an operation")
        return State(pages: pages, containers: containers, spaceCounters: spaceCounters, fileCounters: fileCounters,
                     containerFileAdded: containerFileAdded, totals: totals, openFiles: openFiles, freeOpenFiles: freeOpenFiles,
                     mappings: mappings, implicitMappings: implicitMappings,
                     now: now, nextSampleTime: nextSampleTime, samples: samples)
    }

    /// Puts the simulator back in a state `saveState()` returned (of this simulator, or of one
    /// with the same configuration, files and spaces). The resident pages are copied into the
    /// simulator's own buffers (the replay that follows would copy them on its first change anyway).
    public func restore(_ state: State) {
        pages.overwrite(with: state.pages)
        containers = state.containers
        spaceCounters = state.spaceCounters
        fileCounters = state.fileCounters
        containerFileAdded.overwriteRows(with: state.containerFileAdded)
        totals = state.totals
        freshSlots.removeAll()
        batchSlots.removeAll()
        openFiles = state.openFiles
        freeOpenFiles = state.freeOpenFiles
        mappings = state.mappings
        implicitMappings = state.implicitMappings
        now = state.now
        nextSampleTime = state.nextSampleTime
        samples = state.samples
        forgetResidencyChanges()
    }
}

extension MultiPolicySimulator {
    /// Every policy's replay state, in policy order.
    public func saveState() -> [CacheSimulator.State] { simulators.map { $0.saveState() } }

    /// Restores what `saveState()` returned.
    public func restore(_ states: [CacheSimulator.State]) {
        precondition(states.count == simulators.count, "state of another simulator")
        for (s, state) in zip(simulators, states) { s.restore(state) }
    }
}
