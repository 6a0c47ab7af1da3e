import FixtureSupport
import Foundation
import Recorder
import XCTest

/// `live` without root: mincore tells an unprivileged caller the truth only about files it
/// owns (for anyone else's it reports every page resident), so only those are measured, and
/// the header note says what is missing. Set up as root, run as `nobody` (setpriv).
final class LiveWithoutRootTests: XCTestCase {
    func testOnlyTheCallersOwnFilesAreMeasured() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to mount and to switch to nobody; skipped") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), FileManager.default.isExecutableFile(atPath: "/usr/bin/mkfs.erofs") else {
            throw XCTSkip("setpriv or mkfs.erofs missing")
        }
        guard let binary = CLI.binary else { throw XCTSkip("erofs-top binary not built") }
        // An image whose files belong to nobody (65534) next to the root-owned samples.
        let dir = try CLI.temporaryDirectory("nonroot")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        let tree = dir + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
        for (name, size) in [("a.bin", 20000), ("sub/b.bin", 9000), ("c.bin", 5000)] {
            FileManager.default.createFile(atPath: tree + "/" + name, contents: Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        }
        let image = dir + "/nobody.erofs"
        _ = try runProgram("/usr/bin/mkfs.erofs", ["--force-uid=65534", "--force-gid=65534", image, tree])
        let own = try TestMount(image: image, name: "nonroot-own")
        defer { own.close() }
        try readWhole(own.mountPoint + "/a.bin")
        let samples = FixturePaths.samples + "/layer-python.erofs"
        let theirs = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-theirs"
        try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: theirs) }
        let other = try KernelMount(image: samples, devices: [], mountpoint: theirs)
        defer { other.unmount() }
        try readWhole(theirs + "/usr/bin/python3.11")

        let out = try runProgram("/usr/bin/setpriv", ["--reuid", "65534", "--regid", "65534", "--clear-groups", binary,
                                                    "live", "--batch", "--json", "--count", "1", "--interval", "0.2",
                                                    "--mount", own.mountPoint, "--mount", theirs])
        let sample = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], out)
        XCTAssertTrue((sample["notes"] as? [String] ?? []).contains { $0.hasPrefix("not root: residency of your own files only") }, "\(sample)")
        XCTAssertTrue(sample["designs"] is NSNull, "no model without events")
        let mounts = try XCTUnwrap(sample["mounts"] as? [[String: Any]])
        let mine = try XCTUnwrap(mounts.first { $0["mount_point"] as? String == own.mountPoint })
        XCTAssertEqual((mine["resident_bytes"] as? NSNumber)?.intValue, 5 * 4096, "a.bin, read whole: 5 pages")
        XCTAssertEqual((mine["measured_files"] as? NSNumber)?.intValue, 3)
        XCTAssertTrue(mine["hits"] is NSNull)
        let root = try XCTUnwrap(mounts.first { $0["mount_point"] as? String == theirs })
        XCTAssertEqual((root["measured_files"] as? NSNumber)?.intValue, 0, "root's files are not measured")
        XCTAssertEqual((root["resident_bytes"] as? NSNumber)?.intValue, 0, "and not reported resident")
    }
}
