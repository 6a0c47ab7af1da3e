import FixtureSupport
import Foundation
import XCTest

/// `erofs-top record` on bad situations: whatever happens, nothing stays mounted or traced.
final class RecordCommandTests: XCTestCase {
    static let sample = FixturePaths.repositoryRoot + "/Sources/CLI/Samples/requests-v1.erofs"

    func leftovers() -> [String] {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        var found = mounts.split(separator: "\n").filter { $0.contains("erofs-top-record-") }.map(String.init)
        let instances = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/kernel/tracing/instances")) ?? []
        found += instances.filter { $0.hasPrefix("erofs-top-") }
        return found
    }

    func requireRoot() throws {
        guard geteuid() == 0 else { throw XCTSkip("record needs root; skipped") }
    }

    func testAFailingCommandStillWritesTheTraceAndCleansUp() throws {
        try requireRoot()
        let out = try CLI.temporaryDirectory("record") + "/t.jsonl"
        let r = try CLI.run(["record", "--out", out, Self.sample, "--", "sh", "-c", "cat {mnt0}/app/main.py >/dev/null; exit 4"])
        guard !r.stderr.contains("no tracefs") && !r.stderr.contains("refused to mount") else { throw XCTSkip(r.stderr) }
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("status 4"), r.stderr)
        let trace = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(trace.hasPrefix("{\"erofs_top_trace\":1"), trace)
        XCTAssertTrue(trace.contains("\"path\":\"/app/main.py\""), "the read is in the trace, by path inside the image")
        XCTAssertEqual(leftovers(), [])
    }

    func testAMissingProgramIsASetUpErrorAndCleansUp() throws {
        try requireRoot()
        let out = try CLI.temporaryDirectory("record") + "/t.jsonl"
        let r = try CLI.run(["record", "--out", out, Self.sample, "--", "/nonexistent/program"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot run /nonexistent/program"), r.stderr)
        XCTAssertEqual(leftovers(), [])
    }

    func testAnImageTheKernelRefusesIsAClearError() throws {
        try requireRoot()
        let dir = try CLI.temporaryDirectory("record")
        let bogus = dir + "/not-erofs.img"
        FileManager.default.createFile(atPath: bogus, contents: Data(repeating: 0, count: 1 << 16))
        let r = try CLI.run(["record", "--out", dir + "/t.jsonl", bogus, "--", "true"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("not-erofs.img"), r.stderr)
        XCTAssertEqual(leftovers(), [])
    }

    /// Not root: refused before anything is mounted or traced.
    func testWithoutRootItIsASetUpError() throws {
        try requireRoot()
        let binary = try XCTUnwrap(CLI.binary)
        let r = try CLI.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary,
                                                     "record", "--out", "/tmp/erofs-top-nobody.jsonl", Self.sample, "--", "true"])
        if r.stderr.contains("Permission denied") { throw XCTSkip("user nobody cannot run \(binary): \(r.stderr)") }
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("recording needs root"), r.stderr)
        XCTAssertEqual(leftovers(), [])
    }

    /// No tracefs (in a private mount namespace where /sys/kernel is an empty read-only tmpfs,
    /// so it cannot be mounted either): a clear message, nothing mounted.
    func testWithoutTracefsItIsASetUpError() throws {
        try requireRoot()
        let binary = try XCTUnwrap(CLI.binary)
        let script = "mount -t tmpfs -o ro none /sys/kernel && exec \"$0\" record --out /tmp/erofs-top-notrace.jsonl \"$1\" -- true"
        let r = try CLI.runTool("/usr/bin/unshare", ["-m", "sh", "-c", script, binary, Self.sample])
        if r.stderr.contains("unshare failed") || r.stderr.contains("mount: ") { throw XCTSkip("cannot make a mount namespace here: \(r.stderr)") }
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("no tracefs"), r.stderr)
        XCTAssertEqual(leftovers(), [])
    }

    func testWithoutACommandOrDurationItIsAUsageError() throws {
        let r = try CLI.run(["record", "--out", "/tmp/x.jsonl", Self.sample])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--duration"), r.stderr)
    }
}
