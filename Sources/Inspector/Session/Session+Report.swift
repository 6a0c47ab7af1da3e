import PageCacheModel

extension Session {
    /// A session for `configuration` replayed to the end, for a report: traces are replayed as
    /// they are read (no steps kept, memory independent of the trace's length), or with the
    /// steps stored when that cannot give the same figures (an input not in time order, or a
    /// fault event that came after an mmap of its file was estimated).
    public static func replayed(_ configuration: SessionConfiguration, designs: [SharingDesign] = SharingDesign.standard,
                                reusing other: Session? = nil) throws -> Session {
        let streamed = try Session(configuration, designs: designs, keepSteps: false, reusing: other)
        do {
            try streamed.runToEnd()
            if !streamed.streamedReplayInvalid { return streamed }
        } catch is StreamOrderError {}
        let stored = try Session(configuration, designs: designs, reusing: other ?? streamed)
        try stored.runToEnd()
        return stored
    }

    /// The usage of every design so far: the seed-style table. Without `sharing`, the shared
    /// resident bytes (a walk over every address space) are left at 0, for per-frame callers.
    public func report(sharing: Bool = true) -> UsageReport {
        let policies = designs.enumerated().compactMap { d, design -> PolicyUsage? in
            guard let sim = simulator(for: design) else { return nil }
            let usage = sim.allContainerStatistics.enumerated().map { c, s in
                ContainerUsage(container: s.name, chargedBytes: s.chargedBytes,
                               directoryBytes: UInt64(s.chargedPages.nonData) * UInt64(s.pageSize),
                               hits: UInt64(s.hits.total), misses: UInt64(s.misses.total),
                               files: configuration.perFile ? filesAdded(design: d, container: c) : nil)
            }
            let totals = sim.cacheTotals
            var shared: UInt64 = 0
            for space in 0..<(sharing ? spaces.count : 0) {
                let id = AddressSpaceID(UInt32(space))
                if sim.isShared(id) { shared += UInt64(sim.spaceStatistics(id).residentPages) }
            }
            var policy = PolicyUsage(design: design, containers: usage, residentBytes: totals.residentBytes,
                                     evictedBytes: UInt64(totals.evictedPages) * UInt64(totals.pageSize),
                                     sharedResidentBytes: shared * UInt64(totals.pageSize))
            if sharing { policy.blobCachedBytes = residentBytesByBlob(design: design) }
            if containers.contains(where: \.isStack) {
                (policy.imageAddedBytes, policy.imageDataBytes) = imageAddedBytes(design: d, pageSize: totals.pageSize)
            }
            return policy
        }
        let summary = WorkloadSummary(steps: position, traceEvents: traceEventCount,
                                      malformedLines: timelineDiagnostics.malformedLines,
                                      outsideImage: timelineDiagnostics.outsideImage,
                                      unknownContainer: timelineDiagnostics.unknownContainer,
                                      duration: clock,
                                      sources: configuration.traces.map { $0.url.lastPathComponent } +
                                          configuration.builtinWorkloads.map { $0.workload.rawValue + ($0.container.map { ":" + $0 } ?? "") })
        var report = UsageReport(containers: containers, imageLabels: catalogs.map(\.label), policies: policies, workload: summary)
        report.readaheadKB = configuration.readaheadKB
        report.unobservedMappedBytes = unobservedMappedBytes
        report.unhandledCalls = unhandledCalls
        return report
    }

    /// Bytes added through each image's files, over all containers (per-layer rows).
    private func imageAddedBytes(design: Int, pageSize: Int) -> (all: [UInt64], data: [UInt64]) {
        var all = [UInt64](repeating: 0, count: catalogs.count)
        var data = all
        for c in containers.indices {
            for (id, pages) in simulator.simulators[design].filesWithAddedPages(in: ContainerID(UInt16(c))) {
                let image = sessionFile(id).image
                all[image] += UInt64(pages) * UInt64(pageSize)
                if files[id].kind == .regular { data[image] += UInt64(pages) * UInt64(pageSize) }
            }
        }
        return (all, data)
    }

    private func filesAdded(design: Int, container: Int) -> [FileUsage] {
        simulator.simulators[design].filesWithAddedPages(in: ContainerID(UInt16(container))).map { id, pages -> FileUsage in
            let f = sessionFile(id)
            let catalog = catalogs[f.image]
            return FileUsage(image: containers[container].name, layer: catalog.label,
                             path: catalog.index(ofNID: f.nid).map { catalog.entries[$0].path } ?? "nid \(f.nid)", nid: f.nid, addedPages: UInt64(pages))
        }.sorted { $0.addedPages != $1.addedPages ? $0.addedPages > $1.addedPages : $0.path < $1.path }
    }
}
