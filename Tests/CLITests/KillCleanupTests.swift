import FixtureSupport
import Foundation
import XCTest

/// `kill -9` of `record` and of `live`: no EROFS mount and no loop device remain (the mounts
/// were made in a private namespace, the loop devices with autoclear), and the ftrace instance
/// left behind is removed, and named, at the next start.
final class KillCleanupTests: XCTestCase {
    static let image = FixturePaths.samples + "/python-base.erofs"
    static let instances = "/sys/kernel/tracing/instances"

    func start(_ arguments: [String]) throws -> Process {
        guard geteuid() == 0 else { throw XCTSkip("needs root (mount, ftrace); skipped") }
        guard FileManager.default.fileExists(atPath: Self.instances) else { throw XCTSkip("no tracefs at /sys/kernel/tracing") }
        guard let binary = CLI.binary else { throw XCTSkip("erofs-top binary not built") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func waitFor(_ what: String, timeout: Double = 30, _ predicate: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline { if predicate() { return }; usleep(50_000) }
        XCTFail("timed out waiting for \(what)")
    }

    /// Loop devices whose backing file is `file` (`losetup -j`).
    func loops(of file: String) -> String {
        (try? runProgram("/sbin/losetup", ["-j", file])) ?? ""
    }

    func testRecordKilledWithSIGKILLLeavesNoMountNoLoopDevice() throws {
        let out = try CLI.temporaryDirectory("kill") + "/t.jsonl"
        let blob = FixturePaths.samples + "/layer-python.erofs"
        XCTAssertEqual(loops(of: Self.image), "", "no loop device of the image before")
        let marker = out + ".running"
        let p = try start(["record", "--loop", "--out", out, Self.image, "--", "sh", "-c", "touch \(marker); sleep 3"])
        let instance = Self.instances + "/erofs-top-\(p.processIdentifier)"
        waitFor("the command to run") { FileManager.default.fileExists(atPath: marker) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: instance))
        XCTAssertNotEqual(loops(of: Self.image), "", "record put the image on a loop device")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let table = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        XCTAssertFalse(table.contains("erofs-top-record-\(p.processIdentifier)"), "the mount was never in the host's namespace")
        // The command (sleep 3) kept the namespace alive; when it ends, the kernel unmounts and
        // the autoclear loop devices detach.
        waitFor("the loop devices to detach", timeout: 15) { loops(of: Self.image).isEmpty && loops(of: blob).isEmpty }
        XCTAssertTrue(FileManager.default.fileExists(atPath: instance), "SIGKILL leaves the ftrace instance (nothing can run)")

        let next = try CLI.run(["record", "--out", out, Self.image, "--", "true"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stderr.contains("removed the stale ftrace instance \(instance)"), next.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: instance))
        XCTAssertFalse(FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "erofs-top-record-\(p.processIdentifier)"),
                       "its temporary folder was swept too")
    }

    /// Starts `live --batch` on `mount`, waits for its ftrace instance, sends `sig`, waits for
    /// the end; the process and the instance's path.
    func signalRunningLive(on mount: String, _ sig: Int32) throws -> (process: Process, instance: String) {
        let p = try start(["live", "--batch", "--json", "--interval", "0.2", "--mount", mount])
        let instance = Self.instances + "/erofs-top-live-\(p.processIdentifier)"
        waitFor("live to start its instance") { FileManager.default.fileExists(atPath: instance) }
        kill(p.processIdentifier, sig)
        p.waitUntilExit()
        return (p, instance)
    }

    func testLiveKilledWithSIGKILLLeavesAnInstanceTheNextLiveRemoves() throws {
        let m = try TestMount(image: Self.image, name: "kill-live")
        defer { m.close() }
        let (_, instance) = try signalRunningLive(on: m.mountPoint, SIGKILL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: instance))
        let next = try CLI.run(["live", "--batch", "--json", "--count", "1", "--interval", "0.2", "--mount", m.mountPoint])
        XCTAssertEqual(next.status, 0, next.stderr)
        let sample = try XCTUnwrap(JSONSerialization.jsonObject(with: next.stdout) as? [String: Any])
        XCTAssertTrue((sample["notes"] as? [String] ?? []).contains("removed the stale ftrace instance \(instance)"), "\(sample["notes"] ?? "")")
        XCTAssertFalse(FileManager.default.fileExists(atPath: instance))
    }

    func testLiveStopsOnSIGINTSIGTERMAndSIGHUPAndRemovesItsInstance() throws {
        let m = try TestMount(image: Self.image, name: "term-live")
        defer { m.close() }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            let (p, instance) = try signalRunningLive(on: m.mountPoint, sig)
            XCTAssertEqual(p.terminationStatus, 128 + sig, "signal \(sig)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: instance), "signal \(sig): the instance is removed")
        }
    }
}
