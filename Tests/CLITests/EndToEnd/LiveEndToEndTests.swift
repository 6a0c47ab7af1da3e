import FixtureSupport
import Foundation
import XCTest

/// `erofs-top live` in a real terminal (tmux) on a real mount: the header says how residency is
/// measured, the event count moves under load, `w` writes a trace that `report` reads, a mount
/// that disappears is shown as gone, and `q` gives the terminal back.
final class LiveEndToEndTests: XCTestCase {
    /// "... 123 events" in the header → 123
    func events(_ screen: String) -> Int? {
        guard let line = screen.split(separator: "\n").first, let r = line.range(of: " events") else { return nil }
        return line[..<r.lowerBound].split(separator: " ").last.flatMap { Int($0) }
    }

    func testLiveUIFollowsTheLoadWritesATraceAndSeesAMountGo() throws {
        let binary = DemoEndToEndTests.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("\(binary) is not built") }
        let image = FixturePaths.samples + "/requests-v1.erofs"
        let m = try TestMount(image: image, name: "tmux")
        defer { m.close() }
        let dir = try CLI.temporaryDirectory("live-ui")
        let trace = dir + "/live.jsonl"
        let tmux = try TmuxSession(command: "\(binary) live -d 3 --mount \(m.mountPoint) --trace-out \(trace)", width: 140, height: 42)
        defer { tmux.kill() }
        let first = try tmux.waitFor(30, "the live header") { $0.contains("LIVE mincore") }
        XCTAssertTrue(first.contains("requests-v1.erofs"), first)
        guard !first.contains("no events") else { throw XCTSkip("no event stream here:\n\(first)") }
        try tmux.send("w")
        try tmux.waitFor(10, "the capture to start") { $0.contains("w: writing") }
        let before = events(try tmux.capture()) ?? 0
        var files: [String] = []
        for name in ["/etc/os-release", "/usr/bin/python3.11"] where FileManager.default.fileExists(atPath: m.mountPoint + name) { files.append(name) }
        try (try FileManager.default.subpathsOfDirectory(atPath: m.mountPoint + "/app")).prefix(40).forEach { p in
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: m.mountPoint + "/app/" + p, isDirectory: &isDir), !isDir.boolValue { files.append("/app/" + p) }
        }
        for f in files { try readWhole(m.mountPoint + f) }
        try tmux.waitFor(20, "events to be counted") { (self.events($0) ?? 0) > before }
        try tmux.send("w")
        let wrote = try tmux.waitFor(10, "the trace to be written") { $0.contains("wrote") && $0.contains("live.jsonl") }
        XCTAssertFalse(wrote.contains("w: writing"))
        m.mount.unmount()
        try tmux.waitFor(20, "the mount to show as gone") { $0.contains("1 mount gone") }
        try tmux.send("q")
        let after = try tmux.waitFor(10, "the exit status") { $0.contains("EXIT-STATUS=") }
        XCTAssertTrue(after.contains("EXIT-STATUS=0"), after)

        let name = URL(fileURLWithPath: m.mountPoint).lastPathComponent
        let report = try CLI.json(["report", image, "--container", "\(name)=1", "--trace", trace, "--json"])
        let policies = try XCTUnwrap((report as? [String: Any])?["policies"] as? [[String: Any]])
        let none = try XCTUnwrap(policies.first { $0["policy"] as? String == "none" })
        let added = try XCTUnwrap(((none["containers"] as? [[String: Any]])?.first?["added_bytes"] as? NSNumber)?.uint64Value)
        XCTAssertGreaterThan(added, 0, "report replays the live trace: the files read add pages")
    }
}

extension LiveEndToEndTests {
    /// Ctrl-C in the live UI: the terminal comes back, exit 130, the ftrace instance is gone.
    func testCtrlCRestoresTheTerminalAndRemovesTheInstance() throws {
        let binary = DemoEndToEndTests.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("\(binary) is not built") }
        let m = try TestMount(image: FixturePaths.samples + "/python-base.erofs", name: "tmux-int")
        defer { m.close() }
        let tmux = try TmuxSession(command: "\(binary) live --mount \(m.mountPoint)", width: 120, height: 40)
        defer { tmux.kill() }
        let first = try tmux.waitFor(30, "the live header") { $0.contains("LIVE mincore") }
        guard !first.contains("no events") else { throw XCTSkip("no event stream here") }
        let before = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/kernel/tracing/instances")) ?? []
        XCTAssertTrue(before.contains { $0.hasPrefix("erofs-top-live-") })
        try tmux.send("C-c")
        let after = try tmux.waitFor(10, "the exit status") { $0.contains("EXIT-STATUS=") }
        XCTAssertTrue(after.contains("EXIT-STATUS=130"), after)
        XCTAssertFalse(try tmux.screenModes().alternateScreen, "the alternate screen was left")
        let pids = before.filter { $0.hasPrefix("erofs-top-live-") }
        let now = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/kernel/tracing/instances")) ?? []
        // Instances of other live processes (other tests) may come and go; ours are gone.
        for name in pids where now.contains(name) {
            let pid = pid_t(name.split(separator: "-").last ?? "") ?? 0
            XCTAssertEqual(kill(pid, 0), 0, "\(name) is left although its process ended")
        }
    }
}
