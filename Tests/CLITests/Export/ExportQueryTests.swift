import FixtureSupport
import Foundation
import XCTest

/// The documented queries (scripts/export/read-all.sql) over `erofs-top export` tables give
/// the figures of `erofs-top report --workload read-all` for the same images, in DuckDB (JSON
/// Lines and CSV) and in Spark local mode: none, inode with computed fingerprints, inode with
/// the images' stored fingerprints, chunk, and flat for layer stacks.
final class ExportQueryTests: XCTestCase {
    /// Images given to both commands, in container-name order (the queries charge shared pages
    /// to images in name order, as report does in argument order).
    struct Fleet {
        var name: String
        var arguments: [String]
        /// The images' data can be read (else report cannot compute fingerprints: metadata only).
        var dataReadable = true
        var stacks = false
    }

    private var folders: [String] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    static let samples = FixturePaths.samples
    static let mergedSamples = Fleet(name: "samples", arguments: ["python-base", "requests-v1", "requests-v2"].map { "\(samples)/\($0).erofs" })
    static let stackSamples = Fleet(name: "stacks", arguments: ["\(samples)/layer-python.erofs"] + ["2.31", "2.32"].map { "\(samples)/layer-python.erofs+\(samples)/layer-requests-\($0).erofs" },
                                    stacks: true)

    /// Every fixture image that opens by itself (compressed with each algorithm and index
    /// format, fragments, dedupe, metabox, chunk-based, blobs, tar index, 512 B blocks).
    static func fixtureFleet() throws -> Fleet {
        let images = try FixtureIndex.allFixtures().filter { !$0.flat }
            .sorted { ($0.file as NSString).deletingPathExtension < ($1.file as NSString).deletingPathExtension }
        return Fleet(name: "fixtures", arguments: images.flatMap(CLI.imageArgument))
    }

    func testSampleImagesInDuckDB() throws {
        let fleet = Self.mergedSamples
        let expected = try reportFigures(fleet)
        // The merged samples share their base layer's files: the comparison is not trivial.
        XCTAssertLessThan(expected["inode"]!.total, expected["none"]!.total)
        XCTAssertLessThan(expected["chunk"]!.total, expected["inode"]!.total)
        let folder = try export(fleet)
        for format in ["jsonl", "csv"] {
            try assertMatches(try ReadAllFigures.fromQuery(ExportEngines.query("duckdb_read_all.py", [folder, "--format", format])), expected, "\(fleet.name) \(format)")
        }
    }

    func testLayerStacksInDuckDB() throws {
        let fleet = Self.stackSamples
        let expected = try reportFigures(fleet)
        XCTAssertNotNil(expected["flat"])
        XCTAssertLessThan(expected["none"]!.total, expected["flat"]!.total, "layer sharing saves pages")
        XCTAssertLessThan(expected["inode-stored"]!.total, expected["none"]!.total, "the layers carry fingerprints")
        let folder = try export(fleet)
        for format in ["jsonl", "csv"] {
            try assertMatches(try ReadAllFigures.fromQuery(ExportEngines.query("duckdb_read_all.py", [folder, "--format", format])), expected, "\(fleet.name) \(format)")
        }
    }

    func testFixtureImagesInDuckDB() throws {
        let fleet = try Self.fixtureFleet()
        let expected = try reportFigures(fleet)
        let folder = try export(fleet)
        try assertMatches(try ReadAllFigures.fromQuery(ExportEngines.query("duckdb_read_all.py", [folder])), expected, fleet.name)
    }

    /// Blobs missing: files keep their own pages under chunk, stored fingerprints still share.
    func testMetadataOnlyImagesInDuckDB() throws {
        let empty = NSTemporaryDirectory() + "erofs-top-export-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        folders.append(empty)
        let fleet = Fleet(name: "metadata-only", arguments: ["layer-requests-2.31", "requests-v1", "requests-v2"].map { "\(Self.samples)/\($0).erofs" } + ["--blob-dir", empty],
                          dataReadable: false)
        let expected = try reportFigures(fleet)
        let folder = try export(fleet)
        let rows = try String(contentsOfFile: folder + "/files/requests-v1.jsonl", encoding: .utf8)
        XCTAssertTrue(rows.contains("\"data_read\":false"), "files of missing blobs are marked")
        try assertMatches(try ReadAllFigures.fromQuery(ExportEngines.query("duckdb_read_all.py", [folder, "--format", "csv"])), expected, fleet.name)
    }

    /// The same SQL in Spark local mode, over several export folders in one session.
    func testSparkLocalModeMatchesReport() throws {
        _ = try ExportEngines.site()
        try ExportEngines.requireJava()
        let jsonFleets = [Self.mergedSamples, try Self.fixtureFleet()]
        let folders = try jsonFleets.map(export)
        let results = try XCTUnwrap(try ExportEngines.query("spark_read_all.py", folders) as? [Any])
        XCTAssertEqual(results.count, jsonFleets.count)
        for (fleet, result) in zip(jsonFleets, results) {
            try assertMatches(try ReadAllFigures.fromQuery(result), try reportFigures(fleet), "spark \(fleet.name) jsonl")
        }
        let csv = try ExportEngines.query("spark_read_all.py", [try export(Self.stackSamples), "--format", "csv"])
        try assertMatches(try ReadAllFigures.fromQuery(csv), try reportFigures(Self.stackSamples), "spark stacks csv")
    }

    // MARK: Helpers

    private func export(_ fleet: Fleet) throws -> String {
        let folder = NSTemporaryDirectory() + "erofs-top-export-\(fleet.name)-\(UUID().uuidString)"
        folders.append(folder)
        let result = try CLI.run(["export", "--out", folder, "--jobs", "2"] + fleet.arguments)
        XCTAssertEqual(result.status, 0, "export: \(result.stderr)")
        return folder
    }

    /// report's figures: compute fingerprints (none, inode, chunk, flat) and stored ones
    /// (inode-stored); for metadata-only images only stored fingerprints work.
    private func reportFigures(_ fleet: Fleet) throws -> [String: ReadAllFigures] {
        let base = ["report"] + fleet.arguments + ["--workload", "read-all", "--json"]
        if !fleet.dataReadable {
            return try ReadAllFigures.fromReport(CLI.json(base + ["--policy", "none,inode,chunk"]), rename: ["inode": "inode-stored"])
        }
        var figures = try ReadAllFigures.fromReport(CLI.json(base + ["--fingerprints", "compute", "--policy", fleet.stacks ? "none,inode,chunk,flat" : "none,inode,chunk"]))
        let stored = try ReadAllFigures.fromReport(CLI.json(base + ["--policy", "none,inode"]), rename: ["inode": "inode-stored"])
        XCTAssertEqual(stored["none"], figures["none"])
        figures["inode-stored"] = stored["inode-stored"]
        return figures
    }

    private func assertMatches(_ query: [String: ReadAllFigures], _ report: [String: ReadAllFigures], _ label: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(report.isEmpty)
        for (policy, expected) in report {
            XCTAssertEqual(query[policy], expected, "\(label): \(policy)", file: file, line: line)
        }
    }
}
