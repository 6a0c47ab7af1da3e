import EROFS
import FixtureSupport
import Foundation
import Recorder
import XCTest

/// `erofs-top live --batch --json` on real kernel mounts (file-backed, loop, an overlay stack):
/// residency equals fincore's, events are counted, every design's model moves.
final class LiveCommandTests: XCTestCase {
    static let samples = FixturePaths.samples

    /// Runs `live --batch --json` on `mounts` while `workload` runs; the JSON samples.
    func liveSamples(_ mounts: [String], count: Int = 3, interval: Double = 0.5, workload: () throws -> Void = {}) throws -> [[String: Any]] {
        guard let binary = CLI.binary else { throw XCTSkip("erofs-top binary not built") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["live", "--batch", "--json", "--count", String(count), "--interval", String(interval)] + mounts.flatMap { ["--mount", $0] }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // The workload starts once live's event stream is on (its instance traces).
        // A new instance starts with tracing_on 1: wait for the last event enabled, then tracing on.
        let instance = "/sys/kernel/tracing/instances/erofs-top-live-\(p.processIdentifier)"
        func isOne(_ file: String) -> Bool { (try? String(contentsOfFile: instance + file, encoding: .utf8))?.hasPrefix("1") == true }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !(isOne("/events/filemap/mm_filemap_delete_from_page_cache/enable") && isOne("/tracing_on")) { usleep(20_000) }
        try workload()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, stderr)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, count, "one JSON line per interval")
        return try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func regularFiles(_ image: String, under mount: String) throws -> [(path: String, size: UInt64)] {
        let opened = try Image(ImageSpec(path: image))
        var files: [(String, UInt64)] = []
        try opened.walk { if case .entry(let p, let inode) = $0, inode.type == .regular { files.append((mount + p, inode.size)) } }
        return files
    }

    func testBatchJSONResidencyEqualsFincoreOnAFileBackedMountWithBlobs() throws {
        let image = Self.samples + "/requests-v1.erofs"
        let m = try TestMount(image: image, name: "cli-file")
        defer { m.close() }
        let files = try regularFiles(image, under: m.mountPoint)
        let read = files.filter { $0.size > 0 }.prefix(20)
        let samples = try liveSamples([m.mountPoint]) { for f in read { try readWhole(f.path) } }
        let last = try XCTUnwrap(samples.last)
        let mounts = try XCTUnwrap(last["mounts"] as? [[String: Any]])
        XCTAssertEqual(mounts.count, 1)
        let row = mounts[0]
        XCTAssertEqual(row["mount_point"] as? String, m.mountPoint)
        XCTAssertEqual(row["image"] as? String, image)
        XCTAssertEqual(row["source"] as? String, image, "a file-backed mount's source is the image")
        XCTAssertEqual(row["devices"] as? [String], [Self.samples + "/layer-python.erofs", Self.samples + "/layer-requests-2.31.erofs"],
                       "blobs found by tag next to the image (mountinfo shows no device= here)")
        XCTAssertEqual(last["residency"] as? String, "mincore")
        let pages = read.reduce(UInt64(0)) { $0 + ($1.size + 4095) / 4096 }
        XCTAssertEqual((row["resident_bytes"] as? NSNumber)?.uint64Value, try fincoreBytes(files.map(\.path)), "equals fincore")
        XCTAssertEqual((row["resident_bytes"] as? NSNumber)?.uint64Value, pages * 4096, "the files read, whole")
        func sum(_ key: String) -> UInt64 {
            samples.compactMap { (($0["mounts"] as? [[String: Any]])?.first?[key] as? NSNumber)?.uint64Value }.reduce(0, +)
        }
        let misses = sum("misses")
        XCTAssertEqual(misses - sum("metadata_misses"), pages, "every page of the files read was one miss")
        // Hits are clamped per interval (as cachestat prints them), so a read whose accesses fall
        // in one sample and its page adds in the next shows hits there; over the run, nothing
        // was asked for beyond the pages that missed.
        XCTAssertLessThanOrEqual(sum("accesses"), misses - sum("metadata_misses"), "nothing was read twice")
        XCTAssertGreaterThanOrEqual(sum("accesses"), pages, "every page of the files read was asked for")
        let designs = try XCTUnwrap(last["designs"] as? [[String: Any]])
        XCTAssertEqual(designs.compactMap { $0["design"] as? String }, ["none", "blob", "inode", "chunk"])
        let none = try XCTUnwrap((designs[0]["charged_bytes"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(none, Double(misses * 4096), accuracy: Double(misses * 4096) * 0.1, "the none model follows the kernel")
    }

    func testLoopMountShowsTheBackingFile() throws {
        let image = Self.samples + "/python-base.erofs"
        let m = try TestMount(image: image, name: "cli-loop", loop: true)
        defer { m.close() }
        XCTAssertEqual(m.mount.method, "loop")
        let files = try regularFiles(image, under: m.mountPoint).filter { $0.size > 0 }.prefix(5)
        let samples = try liveSamples([m.mountPoint], count: 2) { for f in files { try readWhole(f.path) } }
        let row = try XCTUnwrap((samples.last?["mounts"] as? [[String: Any]])?.first)
        XCTAssertTrue((row["source"] as? String)?.hasPrefix("/dev/loop") == true, "\(row)")
        XCTAssertEqual(row["image"] as? String, image, "the loop device's backing file")
        XCTAssertEqual((row["resident_bytes"] as? NSNumber)?.uint64Value, try fincoreBytes(try regularFiles(image, under: m.mountPoint).map(\.path)))
    }

    func testOverlayStackOfErofsLayersIsOneContainer() throws {
        let base = try TestMount(image: Self.samples + "/layer-python.erofs", name: "cli-base")
        defer { base.close() }
        // The second mount goes into the same namespace (the thread's): no second namespace.
        let app = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-app"
        let merged = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-merged"
        for d in [app, merged] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        defer { for d in [app, merged] { try? FileManager.default.removeItem(atPath: d) } }
        let appMount = try KernelMount(image: Self.samples + "/layer-requests-2.31.erofs", devices: [], mountpoint: app)
        defer { appMount.unmount() }
        let overlay = try runProgram("/bin/sh", ["-c", "mount -t overlay overlay -o ro,lowerdir=\(app):\(base.mountPoint) \(merged) && echo ok"])
        guard overlay.contains("ok") else { throw XCTSkip("overlayfs refused the stack here") }
        defer { _ = try? runProgram("/bin/umount", [merged]) }
        let samples = try liveSamples([merged], count: 2) { try readWhole(merged + "/app/main.py") }
        let last = try XCTUnwrap(samples.last)
        let stacks = try XCTUnwrap(last["stacks"] as? [[String: Any]])
        XCTAssertEqual(stacks.count, 1)
        XCTAssertEqual(stacks[0]["layers"] as? [String], [base.mountPoint, app], "lowest layer first")
        let mounts = try XCTUnwrap(last["mounts"] as? [[String: Any]])
        XCTAssertEqual(Set(mounts.compactMap { $0["container"] as? String }), ["erofs-top-live-test-\(getpid())-merged"], "both layers are the stack's")
        let designs = try XCTUnwrap(last["designs"] as? [[String: Any]])
        XCTAssertTrue(designs.contains { $0["design"] as? String == "flat" }, "stacks add the flat baseline")
        let appRow = try XCTUnwrap(mounts.first { $0["mount_point"] as? String == app })
        XCTAssertGreaterThan((appRow["resident_bytes"] as? NSNumber)?.uint64Value ?? 0, 0, "/app/main.py came from the app layer")
    }

    /// `live` and a `record` running at the same time on the same mount see the same kernel
    /// events: live's misses are the pages record's trace says were added.
    func testMissesEqualTheAddsOfAParallelRecord() throws {
        let image = Self.samples + "/requests-v2.erofs"
        let m = try TestMount(image: image, name: "cli-parallel")
        defer { m.close() }
        let files = try regularFiles(image, under: m.mountPoint).filter { $0.size > 0 }.prefix(30)
        let trace = try CLI.temporaryDirectory("parallel") + "/t.jsonl"
        var recordResult: CLI.Result?
        let samples = try liveSamples([m.mountPoint], count: 6, interval: 0.5) {
            Thread.sleep(forTimeInterval: 0.3)
            let script = files.map { "cat '\($0.path)' >/dev/null" }.joined(separator: "; ")
            recordResult = try CLI.run(["record", "--warm", "--mounted", m.mountPoint, "--out", trace, image, "--", "sh", "-c", script])
        }
        XCTAssertEqual(recordResult?.status, 0, recordResult?.stderr ?? "")
        var added: UInt64 = 0
        for line in try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst() {
            guard let e = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], e["t"] != nil, e["ev"] as? String == "add" else { continue }
            added += (e["n"] as? NSNumber)?.uint64Value ?? 1
        }
        let misses = samples.compactMap { (($0["mounts"] as? [[String: Any]])?.first?["misses"] as? NSNumber)?.uint64Value }.reduce(0, +)
        XCTAssertGreaterThan(added, 0)
        XCTAssertEqual(misses, added, "live counted the pages the kernel added, as record recorded them")
    }
}
