import EROFS
import Foundation
import XCTest
@testable import Inspector

/// Replays of the kernel-recorded sample traces (Sources/CLI/Samples/traces, recorded by
/// record-sample-traces.sh on file-backed mounts of the sample images) through the session.
final class SessionReplayTests: XCTestCase {
    static let names = ["base", "v1", "v2"]

    func sampleConfiguration(pageEvents: Bool = false, fingerprints: FingerprintSource = .compute) -> SessionConfiguration {
        var config = SessionConfiguration(images: ["python-base", "requests-v1", "requests-v2"].map { ImageSpec(path: Samples.url($0 + ".erofs").path) })
        config.containers = Self.names.enumerated().map { SessionContainer(name: $1, image: $0) }
        config.traces = Self.names.map { TraceInput(url: Samples.url("traces/startup-\($0).ftrace"), container: $0) }
        config.fingerprints = fingerprints
        config.replayPageEvents = pageEvents
        return config
    }

    /// Pages the kernel added per recorded trace: the sum of 2^order over add_to_page_cache lines.
    func kernelAddedPages(_ name: String) throws -> Int {
        let text = try String(contentsOf: Samples.url("traces/startup-\(name).ftrace"), encoding: .utf8)
        return text.split(separator: "\n").filter { $0.contains("mm_filemap_add_to_page_cache") }.reduce(0) { sum, line in
            let order = Int(line.split(separator: "=").last.map(String.init) ?? "0") ?? 0
            return sum + (1 << order)
        }
    }

    func testPageEventReplayReproducesTheKernelExactly() throws {
        let session = try Session(sampleConfiguration(pageEvents: true), designs: [.none])
        try session.runToEnd()
        let usage = try XCTUnwrap(session.report().baseline)
        for (i, name) in Self.names.enumerated() {
            XCTAssertEqual(Int(usage.containers[i].chargedBytes / 4096), try kernelAddedPages(name), name)
        }
    }

    /// The real startups map the interpreter and the shared libraries through ld.so; the model's
    /// fault readahead under-counts those (measured 2.3-2.9 %, all of it in python3.11, libc,
    /// libcrypto, libssl and libm; read() files and directories match). The bound is the one the
    /// fresh recordings of RecordReplayFidelityTests use.
    func testAccessReplayModelsReadaheadWithinFivePercentOfTheKernel() throws {
        let session = try Session(sampleConfiguration(), designs: [.none])
        try session.runToEnd()
        let usage = try XCTUnwrap(session.report().baseline)
        for (i, name) in Self.names.enumerated() {
            let modelled = Double(usage.containers[i].chargedBytes / 4096)
            let kernel = Double(try kernelAddedPages(name))
            XCTAssertEqual(modelled, kernel, accuracy: kernel * 0.05, "\(name): modelled \(modelled) pages, kernel added \(kernel)")
        }
    }

    func testSharingDesignsSaveAndTheIdealBoundsThemAll() throws {
        let session = try Session(sampleConfiguration())
        try session.runToEnd()
        let report = session.report()
        let by = Dictionary(uniqueKeysWithValues: report.policies.map { ($0.design, $0) })
        let none = try XCTUnwrap(by[.none]), blob = try XCTUnwrap(by[.blob]), inode = try XCTUnwrap(by[.inode]), chunk = try XCTUnwrap(by[.chunk])
        // The first container has nothing to share with: the same under blob and inode sharing.
        // Chunk sharing may still merge identical pages within its image (real binaries repeat pages).
        for p in [blob, inode] { XCTAssertEqual(p.containers[0].chargedBytes, none.containers[0].chargedBytes, "\(p.design)") }
        XCTAssertLessThanOrEqual(chunk.containers[0].chargedBytes, none.containers[0].chargedBytes)
        // The later containers reuse the base layer's pages under blob sharing.
        XCTAssertLessThan(blob.containers[1].chargedBytes, none.containers[1].chargedBytes / 2)
        XCTAssertLessThan(blob.containers[2].chargedBytes, none.containers[2].chargedBytes / 2)
        // Content-keyed sharing is the upper bound.
        for p in [none, blob, inode] { XCTAssertLessThanOrEqual(chunk.chargedBytes, p.chargedBytes, "\(p.design)") }
        // v2 shares its unchanged app files with v1 by content, which blob sharing cannot see
        // (different app layer blobs): inode beats blob for v2.
        XCTAssertLessThan(inode.containers[2].chargedBytes, blob.containers[2].chargedBytes)
        // Directory pages are never shared.
        for p in [blob, inode, chunk] {
            for i in 0..<3 { XCTAssertEqual(p.containers[i].directoryBytes, none.containers[i].directoryBytes) }
        }
        XCTAssertEqual(report.workload.malformedLines, 0)
        XCTAssertEqual(report.workload.outsideImage, 0)
    }

    /// An ftrace trace names files by inode number. Replayed in each container in turn (the
    /// seed's experiment), the nids of the image it was recorded on are carried to the other
    /// images by path: the same files are read in every container.
    func testANidTraceReplayedInEachContainerReadsTheSameFiles() throws {
        var config = SessionConfiguration(images: ["python-base", "requests-v1"].map { ImageSpec(path: Samples.url($0 + ".erofs").path) })
        config.containers = [SessionContainer(name: "base", image: 0), SessionContainer(name: "v1", image: 1)]
        config.traces = [TraceInput(url: Samples.url("traces/startup-base.ftrace"), eachContainerInTurn: true)]
        config.perFile = true
        let session = try Session(config, designs: [.none])
        try session.runToEnd()
        let usage = try XCTUnwrap(session.report().baseline)
        let base = usage.containers[0], v1 = usage.containers[1]
        let alone = try Session(sampleConfiguration(), designs: [.none])
        try alone.runToEnd()
        XCTAssertEqual(base.chargedBytes, try XCTUnwrap(alone.report().baseline).containers[0].chargedBytes,
                       "base replays as it does when the trace is its own")
        XCTAssertEqual(Set((base.files ?? []).map(\.path)), Set((v1.files ?? []).map(\.path)))
        XCTAssertGreaterThan(base.files?.count ?? 0, 50)
        XCTAssertEqual(v1.chargedBytes, base.chargedBytes, "the same workload on an image holding the same files")
        XCTAssertEqual(session.report().workload.outsideImage, 0)
    }

    func testStoredZeroedFingerprintsShareNothingAndSaySo() throws {
        let session = try Session(sampleConfiguration(fingerprints: .stored), designs: [.none, .inode])
        try session.runToEnd()
        let report = session.report()
        XCTAssertEqual(report.policies[0].chargedBytes, report.policies[1].chargedBytes, "kernel shares nothing without usable fingerprints")
        XCTAssertTrue(SessionNotes.notes(for: session).contains { $0.contains("--fingerprints compute") })
    }

    func testTwoContainersOfOneImageShareItsPageCacheEvenWithoutSharing() throws {
        var config = SessionConfiguration(images: [ImageSpec(path: Samples.url("python-base.erofs").path)])
        config.containers = [SessionContainer(name: "a", image: 0), SessionContainer(name: "b", image: 0)]
        config.builtinWorkloads = [(.readAll, nil)]
        let session = try Session(config, designs: [.none])
        try session.runToEnd()
        let usage = try XCTUnwrap(session.report().baseline)
        let catalog = session.catalogs[0]
        let dataPages = catalog.regularFiles.reduce(UInt64(0)) { $0 + (catalog.entries[$1].size + 4095) / 4096 }
        XCTAssertEqual(usage.containers[0].chargedBytes - usage.containers[0].directoryBytes, dataPages * 4096,
                       "read-all brings every data page in exactly once")
        XCTAssertEqual(usage.containers[1].chargedBytes, 0, "the same mount's cache serves the second container")
        XCTAssertGreaterThan(usage.containers[1].hits, 0)
    }

    func testCapacityEvictsAndBoundsResidency() throws {
        var config = sampleConfiguration()
        config.cacheMB = 2
        let session = try Session(config, designs: [.none])
        try session.runToEnd()
        let usage = try XCTUnwrap(session.report().baseline)
        XCTAssertLessThanOrEqual(usage.residentBytes, 2 << 20)
        XCTAssertGreaterThan(usage.evictedBytes, 0)
    }

    func testSteppingAndReadingThroughTheModel() throws {
        let session = try Session(sampleConfiguration(), designs: [.none, .blob])
        XCTAssertEqual(session.clock, 0)
        XCTAssertEqual(try session.run(steps: 10), 10)
        XCTAssertEqual(session.position, 10)
        try session.run(until: session.duration / 2)
        XCTAssertLessThanOrEqual(session.clock, session.duration / 2)
        XCTAssertFalse(session.isFinished)
        session.dropCaches()
        XCTAssertEqual(session.report().policies[0].residentBytes, 0)
        let python = try session.catalogs[1].image.resolve("/usr/bin/python3.11", followFinalSymlink: true)
        XCTAssertTrue(try session.read(SessionFile(image: 1, nid: python.nid), container: 1))
        XCTAssertEqual(session.report().policies[0].residentBytes, (python.size + 4095) / 4096 * 4096)
    }
}
