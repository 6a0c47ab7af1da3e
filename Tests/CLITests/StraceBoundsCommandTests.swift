import Foundation
import XCTest

/// `report` on an strace log of a Python startup (Tests/Fixtures/strace-startups): the bounds
/// in the JSON and the table, the unobserved-mapping note, unhandled system calls, and the
/// refusal of a bad --trace-dev.
final class StraceBoundsCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/strace-startups").standardizedFileURL

    func image() throws -> String {
        let dir = ProcessInfo.processInfo.environment["EROFS_TOP_STARTUP_IMAGES"] ?? NSTemporaryDirectory() + "erofs-top-strace-startups"
        if !FileManager.default.fileExists(atPath: dir + "/lz4hc.erofs") {
            let r = try CLI.runTool("/bin/sh", [Self.fixtures.appendingPathComponent("make-tree.sh").path, dir])
            guard r.status == 0 else { throw XCTSkip("make-tree.sh could not build the startup images (PyPI, mkfs.erofs): \(r.stderr)") }
        }
        return dir + "/plain.erofs"
    }

    func log() throws -> String {
        let out = try CLI.temporaryDirectory("strace-bounds") + "/numpy.strace"
        let r = try CLI.runTool("/bin/sh", ["-c", "gzip -dc '\(Self.fixtures.appendingPathComponent("numpy-plain-128.strace.gz").path)' > '\(out)'"])
        guard r.status == 0 else { throw XCTSkip("gzip failed: \(r.stderr)") }
        return out
    }

    func testReportShowsBoundsAndUnhandledCalls() throws {
        let image = try image(), log = try log()
        let args = ["report", image, "--trace", log, "--root", "/tmp/wt12-mnt-startup", "--readahead-kb", "128", "--policy", "none"]
        let json = try CLI.json(args + ["--json"]) as! [String: Any]
        let c = ((json["policies"] as! [[String: Any]])[0]["containers"] as! [[String: Any]])[0]
        let added = c["added_bytes"] as! Int, low = c["added_bytes_low"] as! Int, high = c["added_bytes_high"] as! Int
        XCTAssertLessThan(low, added)
        XCTAssertLessThan(added, high)
        let workload = json["workload"] as! [String: Any]
        XCTAssertGreaterThan(workload["unobserved_mapped_bytes"] as! Int, 50 << 20, "numpy maps ~100 MB of objects")
        XCTAssertGreaterThan((workload["unhandled_calls"] as! [String: Int])["brk"] ?? 0, 0)
        let text = try CLI.run(args)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.text.contains("low … high"), text.text)
        XCTAssertTrue(text.text.contains("had no fault events"), text.text)
        XCTAssertTrue(text.text.contains("System calls not modelled"), text.text)
        // --mmap-faults low is the old behaviour: exactly the low bound.
        let lowJSON = try CLI.json(args + ["--json", "--mmap-faults", "low"]) as! [String: Any]
        let lc = ((lowJSON["policies"] as! [[String: Any]])[0]["containers"] as! [[String: Any]])[0]
        XCTAssertEqual(lc["added_bytes"] as! Int, low)
        XCTAssertNil(lc["added_bytes_low"])
    }

    func testTraceDevNeedsContainerAndDevice() throws {
        let image = try image()
        let r = try CLI.run(["report", image, "--trace-dev", "plain=7", "--policy", "none"])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("MAJ:MIN"), r.stderr)
    }
}
