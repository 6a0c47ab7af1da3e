import PageCacheModel

extension Session {
    /// The usage of every design so far: the seed-style table.
    public func report() -> UsageReport {
        let policies = designs.compactMap { design -> PolicyUsage? in
            guard let sim = simulator(for: design) else { return nil }
            let usage = sim.allContainerStatistics.map { s in
                ContainerUsage(container: s.name, chargedBytes: s.chargedBytes,
                               directoryBytes: UInt64(s.chargedPages.nonData) * UInt64(s.pageSize),
                               hits: UInt64(s.hits.total), misses: UInt64(s.misses.total))
            }
            let totals = sim.cacheTotals
            return PolicyUsage(design: design, containers: usage, residentBytes: totals.residentBytes,
                               evictedBytes: UInt64(totals.evictedPages) * UInt64(totals.pageSize))
        }
        let summary = WorkloadSummary(steps: position, traceEvents: traceEventCount,
                                      malformedLines: timelineDiagnostics.malformedLines,
                                      outsideImage: timelineDiagnostics.outsideImage,
                                      unknownContainer: timelineDiagnostics.unknownContainer,
                                      duration: clock,
                                      sources: configuration.traces.map { $0.url.lastPathComponent } +
                                          configuration.builtinWorkloads.map { $0.workload.rawValue + ($0.container.map { ":" + $0 } ?? "") })
        return UsageReport(containers: containers, imageLabels: catalogs.map(\.label), policies: policies, workload: summary)
    }
}
