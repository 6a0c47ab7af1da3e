import Crypto
import FixtureSupport
import Foundation
import XCTest

/// `--oci DIR[:REF]`: an OCI image layout assembled here from the layer tars (gzip, plain and
/// zstd layers, two manifests sharing the base layer), converted by the real mkfs.erofs 1.9
/// once per layer digest, then reported on.
final class OCILayoutTests: XCTestCase {
    struct Layout { var dir: String; var blobs: [String: String] }   // layer name → blob path

    private func mkfs() throws -> String {
        guard let sid = CLI.sidTool else { throw XCTSkip("erofs-utils 1.9 (../shared/tools/erofs-utils-sid) is not available; bookworm's mkfs.erofs 1.5 has no --tar, so --oci cannot be tested") }
        return sid + " mkfs.erofs"
    }

    private static func sha(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @discardableResult
    private static func blob(_ data: Data, in dir: String) throws -> (digest: String, size: Int, path: String) {
        let hex = sha(data)
        let path = dir + "/blobs/sha256/" + hex
        try data.write(to: URL(fileURLWithPath: path))
        return ("sha256:" + hex, data.count, path)
    }

    private static func json(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }

    /// Compresses with a command line tool (gzip -n, zstd).
    private static func compress(_ tool: [String], _ input: String) throws -> Data {
        let result = try CLI.runTool("/usr/bin/env", tool + ["-c", input])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    /// Builds the layout: manifests `app1` (base.tar.gz + app1.tar) and `app2` (base.tar.gz + app2.tar.zst).
    private func makeLayout(layerTypeOverride: String? = nil) throws -> Layout {
        let dir = try CLI.temporaryDirectory("oci")
        try FileManager.default.createDirectory(atPath: dir + "/blobs/sha256", withIntermediateDirectories: true)
        let tars = FixturePaths.layers
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd") else { throw XCTSkip("zstd is not installed (scripts/install-deps.sh installs it)") }
        let layers: [(name: String, data: Data, type: String)] = [
            ("base", try Self.compress(["gzip", "-n"], tars + "/base.tar"), "application/vnd.oci.image.layer.v1.tar+gzip"),
            ("app1", try Data(contentsOf: URL(fileURLWithPath: tars + "/app1.tar")), layerTypeOverride ?? "application/vnd.oci.image.layer.v1.tar"),
            ("app2", try Self.compress(["zstd", "-q"], tars + "/app2.tar"), "application/vnd.oci.image.layer.v1.tar+zstd"),
        ]
        var descriptors: [String: [String: Any]] = [:]
        var blobs: [String: String] = [:]
        for layer in layers {
            let b = try Self.blob(layer.data, in: dir)
            descriptors[layer.name] = ["mediaType": layer.type, "digest": b.digest, "size": b.size]
            blobs[layer.name] = b.path
        }
        var manifests: [[String: Any]] = []
        for app in ["app1", "app2"] {
            let diffIDs = try ["base", app].map { "sha256:" + Self.sha(try Data(contentsOf: URL(fileURLWithPath: tars + "/\($0).tar"))) }
            let config = try Self.blob(try Self.json(["architecture": "amd64", "os": "linux", "rootfs": ["type": "layers", "diff_ids": diffIDs]]), in: dir)
            blobs[app + "-config"] = config.path
            let manifest = try Self.blob(try Self.json([
                "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": config.digest, "size": config.size],
                "layers": [descriptors["base"]!, descriptors[app]!],
            ]), in: dir)
            blobs[app + "-manifest"] = manifest.path
            manifests.append(["mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest.digest, "size": manifest.size,
                              "annotations": ["org.opencontainers.image.ref.name": app]])
        }
        try Self.json(["schemaVersion": 2, "manifests": manifests]).write(to: URL(fileURLWithPath: dir + "/index.json"))
        try Self.json(["imageLayoutVersion": "1.0.0"]).write(to: URL(fileURLWithPath: dir + "/oci-layout"))
        return Layout(dir: dir, blobs: blobs)
    }

    /// Data bytes (added minus directory pages) per policy per container from `report --json`.
    private static func dataBytes(_ result: CLI.Result) throws -> [String: [String: UInt64]] {
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        var out: [String: [String: UInt64]] = [:]
        for policy in report["policies"] as? [[String: Any]] ?? [] {
            for c in policy["containers"] as? [[String: Any]] ?? [] {
                let added = (c["added_bytes"] as? NSNumber)?.uint64Value ?? 0, dirs = (c["directory_bytes"] as? NSNumber)?.uint64Value ?? 0
                out[policy["policy"] as? String ?? "", default: [:]][c["name"] as? String ?? ""] = added - dirs
            }
        }
        return out
    }

    func testOCILayoutIsConvertedOncePerLayerAndReported() throws {
        let mkfs = try mkfs()
        let layout = try makeLayout()
        defer { try? FileManager.default.removeItem(atPath: layout.dir) }
        let cache = layout.dir + "-cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let arguments = ["report", "--json", "--workload", "read-all", "--fingerprints", "compute", "--mkfs", mkfs, "--oci-cache", cache,
                         "--oci", "a=\(layout.dir):app1", "--oci", "b=\(layout.dir):app2"]
        let first = try CLI.run(arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr.components(separatedBy: "converted layer").count - 1, 3, "base (shared by both manifests), app1, app2: \(first.stderr)")
        let again = try CLI.run(arguments)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("converted layer"), "the cache holds every digest: \(again.stderr)")
        XCTAssertEqual(try Self.dataBytes(again), try Self.dataBytes(first))
        // The same figures as the committed fixtures made from the same tars by the same mkfs.
        let fixtures = try CLI.run(["report", "--json", "--workload", "read-all", "--fingerprints", "compute",
                                    "--container", "a=\(FixturePaths.layers)/base.erofs+\(FixturePaths.layers)/app1.erofs",
                                    "--container", "b=\(FixturePaths.layers)/base.erofs+\(FixturePaths.layers)/app2.erofs"])
        XCTAssertEqual(try Self.dataBytes(first), try Self.dataBytes(fixtures))
        XCTAssertLessThan(try Self.dataBytes(first)["none"]!["b"]!, try Self.dataBytes(first)["flat"]!["b"]!, "b shares base under none")
        // Index mode: metadata images over the cached tars, same data pages.
        let index = try CLI.run(arguments + ["--oci-mode", "i"])
        XCTAssertEqual(index.status, 0, index.stderr)
        XCTAssertEqual(index.stderr.components(separatedBy: "converted layer").count - 1, 3, index.stderr)
        XCTAssertEqual(try Self.dataBytes(index)["none"], try Self.dataBytes(first)["none"])
    }

    func testBadLayoutsNameTheFile() throws {
        let mkfs = try mkfs()
        let layout = try makeLayout()
        defer { try? FileManager.default.removeItem(atPath: layout.dir) }
        let cache = layout.dir + "-cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        func report(_ ref: String) throws -> CLI.Result {
            try CLI.run(["report", "--mkfs", mkfs, "--oci-cache", cache, "--oci", "\(layout.dir):\(ref)"])
        }
        // Digest mismatch: one byte of app1's layer changed.
        var app1 = try Data(contentsOf: URL(fileURLWithPath: layout.blobs["app1"]!))
        app1[600] ^= 0xFF
        try app1.write(to: URL(fileURLWithPath: layout.blobs["app1"]!))
        let mismatch = try report("app1")
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertTrue(mismatch.stderr.contains(layout.blobs["app1"]!) && mismatch.stderr.contains("digest mismatch"), mismatch.stderr)
        // Missing blob: app2's config.
        try FileManager.default.removeItem(atPath: layout.blobs["app2-config"]!)
        let missing = try report("app2")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains(layout.blobs["app2-config"]!) && missing.stderr.contains("missing"), missing.stderr)
        // Unknown ref.
        let unknown = try report("nope")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains(layout.dir + "/index.json") && unknown.stderr.contains("nope"), unknown.stderr)
        // Unknown media type: names the manifest.
        let odd = try makeLayout(layerTypeOverride: "application/vnd.example.layer.v1.squashfs")
        defer { try? FileManager.default.removeItem(atPath: odd.dir) }
        let media = try CLI.run(["report", "--mkfs", mkfs, "--oci-cache", cache, "--oci", "\(odd.dir):app1"])
        XCTAssertEqual(media.status, 1)
        XCTAssertTrue(media.stderr.contains(odd.blobs["app1-manifest"]!) && media.stderr.contains("squashfs"), media.stderr)
    }

    func testWithoutATarCapableMkfsTheErrorSaysSo() throws {
        let layout = try makeLayout()
        defer { try? FileManager.default.removeItem(atPath: layout.dir) }
        let result = try CLI.run(["report", "--mkfs", "/bin/true", "--oci-cache", layout.dir + "-cache", "--oci", "\(layout.dir):app1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("--tar") && result.stderr.contains("/bin/true"), result.stderr)
    }
}
