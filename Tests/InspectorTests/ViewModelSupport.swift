import EROFS
import Foundation
@testable import Inspector

/// Sessions over the bundled samples for the view model, seek and settings tests.
enum SampleSessions {
    /// The seed scenario: base, v1 and v2 (merged images sharing the base blob) replaying their
    /// recorded startup traces, fingerprints computed (the samples' stored ones are zeroed).
    static func seedConfiguration() -> SessionConfiguration {
        let names = ["base", "v1", "v2"]
        var config = SessionConfiguration(images: ["python-base", "requests-v1", "requests-v2"].map { ImageSpec(path: Samples.url($0 + ".erofs").path) })
        config.containers = names.enumerated().map { SessionContainer(name: $1, image: $0) }
        config.traces = names.map { TraceInput(url: Samples.url("traces/startup-\($0).ftrace"), container: $0) }
        config.fingerprints = .compute
        return config
    }

    /// Two layer stacks over one base layer (python+requests-2.31, python+requests-2.32) reading everything, for `flat`.
    static func stackConfiguration() -> SessionConfiguration {
        var config = SessionConfiguration(images: ["layer-python", "layer-requests-2.31", "layer-requests-2.32"].map { ImageSpec(path: Samples.url($0 + ".erofs").path) })
        config.containers = [SessionContainer(name: "app1", layers: [0, 1]), SessionContainer(name: "app2", layers: [0, 2])]
        config.builtinWorkloads = [(.readAll, nil)]
        config.fingerprints = .compute
        return config
    }

    static let stackDesigns: [SharingDesign] = SharingDesign.standard + [.flat]

    /// Everything a position of the replay shows: the full report and every design's residency.
    struct Observation: Equatable {
        var report: UsageReport
        var residency: [[ResidencySnapshot]]
        var position: Int
    }

    /// A short account of where two observations differ (nil: equal), for failure messages.
    static func difference(_ a: Observation, _ b: Observation) -> String? {
        guard a != b else { return nil }
        var out: [String] = []
        if a.position != b.position { out.append("position \(a.position) vs \(b.position)") }
        for (p, q) in zip(a.report.policies, b.report.policies) where p != q {
            for (c, d) in zip(p.containers, q.containers) where c != d {
                out.append("\(p.design) \(c.container): charged \(c.chargedBytes) vs \(d.chargedBytes), hits \(c.hits) vs \(d.hits), misses \(c.misses) vs \(d.misses)")
            }
            if p.residentBytes != q.residentBytes { out.append("\(p.design): resident \(p.residentBytes) vs \(q.residentBytes)") }
            if p.sharedResidentBytes != q.sharedResidentBytes { out.append("\(p.design): shared \(p.sharedResidentBytes) vs \(q.sharedResidentBytes)") }
            if p.evictedBytes != q.evictedBytes { out.append("\(p.design): evicted \(p.evictedBytes) vs \(q.evictedBytes)") }
            if p.blobCachedBytes != q.blobCachedBytes { out.append("\(p.design): blobs \(p.blobCachedBytes) vs \(q.blobCachedBytes)") }
            if p.imageAddedBytes != q.imageAddedBytes { out.append("\(p.design): image added \(p.imageAddedBytes) vs \(q.imageAddedBytes)") }
        }
        var ra = a.report, rb = b.report
        ra.policies = []; rb.policies = []
        if ra != rb { out.append("report: \(ra.workload) \(ra.readaheadKB) \(ra.unobservedMappedBytes) vs \(rb.workload) \(rb.readaheadKB) \(rb.unobservedMappedBytes)") }
        for (d, (x, y)) in zip(a.report.policies.map(\.design), zip(a.residency, b.residency)) where x != y {
            let images = zip(x, y).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            out.append("\(d): residency differs in images \(images)")
        }
        return out.isEmpty ? "differ" : out.joined(separator: "; ")
    }

    static func observe(_ s: Session) -> Observation {
        Observation(report: s.report(), residency: s.designs.map { s.residencySnapshot(design: $0) }, position: s.position)
    }
}
