import FixtureSupport
import Foundation
import XCTest

/// The Python side of the export tests: DuckDB and PySpark installed from PyPI by
/// scripts/export/install-python-deps.sh, and the query runners in scripts/export.
enum ExportEngines {
    /// The folder holding duckdb and pyspark (`EROFS_TOP_EXPORT_PYTHON`, else installed now);
    /// skips the test, saying why, when they cannot be installed.
    static func site() throws -> String {
        if let cached = lock.withLock({ cachedSite }) { return cached }
        let script = FixturePaths.repositoryRoot + "/scripts/export/install-python-deps.sh"
        let result = try run("/bin/bash", [script])
        guard result.status == 0, let folder = result.stdout.split(separator: "\n").last.map(String.init) else {
            throw XCTSkip("duckdb and pyspark are unavailable: scripts/export/install-python-deps.sh exited \(result.status): \(result.stderr.suffix(600))")
        }
        lock.withLock { cachedSite = folder }
        return folder
    }

    /// Skips unless Java runs (Spark local mode needs Java 17: openjdk-17-jre-headless).
    static func requireJava() throws {
        let result = try? run("/usr/bin/env", ["java", "-version"])
        guard let result, result.status == 0 else {
            throw XCTSkip("Spark needs Java 17 and `java -version` fails here (scripts/install-deps.sh installs openjdk-17-jre-headless)")
        }
    }

    /// Runs `scripts/export/SCRIPT ARGS` with the engines on PYTHONPATH; its JSON output.
    static func query(_ script: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let site = try site()
        let path = FixturePaths.repositoryRoot + "/scripts/export/" + script
        let result = try run("/usr/bin/env", ["python3", path] + arguments, environment: ["PYTHONPATH": site])
        guard result.status == 0 else {
            XCTFail("\(script) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr.suffix(3000))", file: file, line: line)
            throw XCTSkip("query failed")
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cachedSite: String?

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let r = try CLI.runTool(executable, arguments, environment: environment)
        return (r.status, r.text, r.stderr)
    }
}

/// Pages per design as `report --json` gives them and as the export queries compute them:
/// the total and, per image (container), the pages added and the directory pages.
struct ReadAllFigures: Equatable, CustomStringConvertible {
    var total: Int
    var images: [String: [Int]]
    var description: String { "total \(total), " + images.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }

    /// Each design of a `report --json` (bytes / 4096), under `rename` where given.
    static func fromReport(_ json: Any, rename: [String: String] = [:]) throws -> [String: ReadAllFigures] {
        let root = try XCTUnwrap(json as? [String: Any])
        var out: [String: ReadAllFigures] = [:]
        for policy in try XCTUnwrap(root["policies"] as? [[String: Any]]) {
            let name = try XCTUnwrap(policy["policy"] as? String)
            var images: [String: [Int]] = [:]
            for c in try XCTUnwrap(policy["containers"] as? [[String: Any]]) {
                images[try XCTUnwrap(c["name"] as? String)] = [try XCTUnwrap(c["added_bytes"] as? Int) / 4096,
                                                                try XCTUnwrap(c["directory_bytes"] as? Int) / 4096]
            }
            out[rename[name] ?? name] = ReadAllFigures(total: try XCTUnwrap(policy["total_bytes"] as? Int) / 4096, images: images)
        }
        return out
    }

    /// Each design of a query runner's output.
    static func fromQuery(_ json: Any) throws -> [String: ReadAllFigures] {
        let root = try XCTUnwrap(json as? [String: Any])
        var out: [String: ReadAllFigures] = [:]
        for policy in try XCTUnwrap(root["policies"] as? [[String: Any]]) {
            var images: [String: [Int]] = [:]
            for i in try XCTUnwrap(policy["images"] as? [[String: Any]]) {
                images[try XCTUnwrap(i["image"] as? String)] = [try XCTUnwrap(i["added_pages"] as? Int), try XCTUnwrap(i["directory_pages"] as? Int)]
            }
            out[try XCTUnwrap(policy["policy"] as? String)] = ReadAllFigures(total: try XCTUnwrap(policy["total_pages"] as? Int), images: images)
        }
        return out
    }
}
