import EROFS
import Foundation
import XCTest
@testable import Inspector

/// A session built `reusing:` another (the report's mmap bounds) takes its catalogs, sharing
/// scan and, when kept, its steps, and gives the same figures as one built from scratch.
final class SessionReuseTests: XCTestCase {
    /// numpy's startup from its strace log (mappings without fault events): the low and high
    /// bounds over the estimate's session equal fresh sessions' reports, byte for byte.
    func testBoundsOverReusedInputsMatchFreshSessions() throws {
        let dir = try StraceStartupFidelityTests.images()
        guard let figure = try StraceStartupFidelityTests.figures().first(where: { $0.workload == "numpy" && $0.kind == "plain" }) else {
            throw XCTSkip("no numpy/plain figure in figures.tsv")
        }
        let log = try StraceStartupFidelityTests.log(figure)
        defer { try? FileManager.default.removeItem(at: log) }
        var config = SessionConfiguration(images: [ImageSpec(path: dir + "/plain.erofs")])
        config.traces = [TraceInput(url: log, root: StraceStartupFidelityTests.mountRoot)]
        config.readaheadKB = figure.readaheadKB
        config.fingerprints = .compute
        for keepSteps in [false, true] {
            let first = try Session(config, keepSteps: keepSteps)
            try first.runToEnd()
            XCTAssertGreaterThan(first.unobservedMappedBytes, 0, "the log maps objects without fault events")
            for mode in [MmapFaultEstimate.low, .high] {
                var c = config
                c.mmapFaults = mode
                let reused = try Session.replayed(c, reusing: first)
                let fresh = try Session.replayed(c)
                XCTAssertTrue(reused.catalogs[0] === first.catalogs[0], "catalog walked again")
                XCTAssertEqual(reused.report().json.pretty(), fresh.report().json.pretty(), "\(mode), first kept steps: \(keepSteps)")
                XCTAssertNotEqual(reused.report().json.pretty(), first.report().json.pretty(), "\(mode) bound equals the estimate")
                if keepSteps {
                    XCTAssertEqual(reused.steps.count, first.steps.count)
                }
            }
        }
        // Other images: nothing is taken over.
        var other = config
        other.fingerprints = .stored
        let first = try Session(config)
        XCTAssertFalse(try Session(other, reusing: first).catalogs[0] === first.catalogs[0])
    }
}
