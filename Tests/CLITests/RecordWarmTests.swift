import FixtureSupport
import Foundation
import XCTest

/// `erofs-top record --mounted DIR [--warm]`: recording on a mount made by someone else, with
/// the page cache it already has (`--warm`) or dropped first (the default).
final class RecordWarmTests: XCTestCase {
    static let image = FixturePaths.images + "/plain.erofs"
    static let file = "/files/medium300k.txt"
    static let filePages = (300_001 + 4095) / 4096

    private func shell(_ args: [String]) throws -> Int32 {
        try CLI.runTool(args[0], Array(args.dropFirst())).status
    }

    /// Trace lines as JSON objects (the header first).
    private func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// Pages of the file in `add` events that state the cache at the start (no time stamp), and
    /// in those the kernel reported while the command ran.
    private func addedPages(_ events: [[String: Any]]) -> (before: Int, during: Int) {
        var before = 0, during = 0
        for e in events.dropFirst() where e["ev"] as? String == "add" && e["path"] as? String == Self.file {
            let n = e["n"] as? Int ?? 1
            if e["t"] == nil { before += n } else { during += n }
        }
        return (before, during)
    }

    func testWarmRecordingOnAnExistingMountStartsWithWhatIsCached() throws {
        guard geteuid() == 0 else { throw XCTSkip("record needs root; skipped") }
        let dir = try CLI.temporaryDirectory("record-warm")
        let mnt = dir + "/mnt"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        guard try shell(["/bin/mount", "-t", "erofs", "-o", "loop,ro", Self.image, mnt]) == 0 else { throw XCTSkip("cannot loop-mount \(Self.image)") }
        defer { _ = try? shell(["/bin/umount", mnt]) }
        let read = ["sh", "-c", "cat {mnt0}\(Self.file) > /dev/null"]

        // Warm: the file is read once before recording; the trace starts with its pages, and
        // reading it again adds nothing.
        XCTAssertEqual(try shell(["/bin/sh", "-c", "cat \(mnt)\(Self.file) > /dev/null"]), 0)
        let warm = dir + "/warm.jsonl"
        let w = try CLI.run(["record", "--warm", "--mounted", mnt, "--out", warm, Self.image, "--"] + read)
        guard !w.stderr.contains("no tracefs") else { throw XCTSkip(w.stderr) }
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertTrue(w.stderr.contains("mounted on \(mnt)"), w.stderr)
        let warmEvents = try lines(warm)
        XCTAssertEqual(warmEvents.first?["cache"] as? String, "warm")
        let (cached, addedWarm) = addedPages(warmEvents)
        XCTAssertEqual(cached, Self.filePages, "every page of the file was cached before recording")
        XCTAssertEqual(addedWarm, 0, "nothing new enters the cache")

        // Cold (the default): caches are dropped first; the same read adds every page.
        let cold = dir + "/cold.jsonl"
        let c = try CLI.run(["record", "--mounted", mnt, "--out", cold, Self.image, "--"] + read)
        XCTAssertEqual(c.status, 0, c.stderr)
        let coldEvents = try lines(cold)
        XCTAssertEqual(coldEvents.first?["cache"] as? String, "cold")
        let (cachedCold, addedCold) = addedPages(coldEvents)
        XCTAssertEqual(cachedCold, 0)
        XCTAssertEqual(addedCold, Self.filePages)

        // The mount is someone else's: still there afterwards.
        let mounts = try String(contentsOfFile: "/proc/mounts", encoding: .utf8)
        XCTAssertTrue(mounts.contains(" \(mnt) erofs "), "the existing mount must be left alone")
    }

    func testAFolderThatIsNotTheImagesMountIsRefused() throws {
        guard geteuid() == 0 else { throw XCTSkip("record needs root; skipped") }
        let dir = try CLI.temporaryDirectory("record-notmounted")
        let r = try CLI.run(["record", "--mounted", dir, "--out", dir + "/t.jsonl", Self.image, "--", "true"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("is not the mount point of an EROFS mount"), r.stderr)
        let usage = try CLI.run(["record", "--mounted", dir, "--mounted", dir, "--out", dir + "/t.jsonl", Self.image, "--", "true"])
        XCTAssertNotEqual(usage.status, 0)
        XCTAssertTrue(usage.stderr.contains("one --mounted folder per image"), usage.stderr)
    }
}
