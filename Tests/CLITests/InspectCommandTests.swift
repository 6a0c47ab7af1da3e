import FixtureSupport
import Foundation
import XCTest

/// `erofs-top info|ls|stat --json` on the committed fixtures and the bundled samples, checked
/// against index.json, the manifests and `dump.erofs` 1.9.
final class InspectCommandTests: XCTestCase {
    /// All fixtures (uncompressed and compressed) and samples.
    private func allImages() throws -> [FixtureImage] {
        let list = try FixtureIndex.allFixtures() + FixtureIndex.sampleImages()
        XCTAssertGreaterThan(list.count, 25)
        return list
    }

    func testInfoJSONAgreesWithTheIndex() throws {
        for fixture in try allImages() {
            let info = try XCTUnwrap(try CLI.json(["info", "--json"] + CLI.imageArgument(fixture)) as? [String: Any], fixture.file)
            XCTAssertEqual(info["block_size"] as? Int, fixture.blockSize, fixture.file)
            XCTAssertEqual((info["uuid"] as? String)?.replacingOccurrences(of: "-", with: ""), fixture.uuid, fixture.file)
            XCTAssertEqual(info["flat_mode"] as? Bool, fixture.flat, fixture.file)
            let devices = info["devices"] as? [[String: Any]] ?? []
            XCTAssertEqual(devices.count, 1 + (fixture.flat ? devices.count - 1 : fixture.devices.count), fixture.file)
            XCTAssertEqual(devices.first?["origin"] as? String, "primary", fixture.file)
            let siblings = try FixtureIndex.images(in: fixture.directory)
            for (slot, device) in devices.dropFirst().enumerated() {
                XCTAssertEqual(device["id"] as? Int, slot + 1, fixture.file)
                if fixture.flat {
                    XCTAssertEqual(device["origin"] as? String, "flat", fixture.file)
                    continue
                }
                let blob = fixture.devices[slot]
                let resolved = URL(fileURLWithPath: device["path"] as? String ?? "").standardizedFileURL.path
                XCTAssertEqual(resolved, URL(fileURLWithPath: fixture.directory + "/" + blob).standardizedFileURL.path, "\(fixture.file) slot \(slot + 1)")
                if fixture.resolvesByTag {
                    // Rebuild mode: the tag is the source image's UUID, and the blob was found by it.
                    let source = try XCTUnwrap(siblings.first { $0.file == blob })
                    XCTAssertEqual(device["tag"] as? String, source.uuid, "\(fixture.file) slot \(slot + 1)")
                    XCTAssertEqual(device["tag_kind"] as? String, "uuid", fixture.file)
                    XCTAssertEqual(device["origin"] as? String, "tag", fixture.file)
                } else {
                    XCTAssertEqual(device["tag"] as? String, "", "\(fixture.file): --blobdev and --tar=i leave the tag empty")
                    XCTAssertEqual(device["origin"] as? String, "explicit", fixture.file)
                }
                let size = (try FileManager.default.attributesOfItem(atPath: fixture.directory + "/" + blob)[.size] as? NSNumber)?.intValue
                XCTAssertEqual(device["size_bytes"] as? Int, size, "\(fixture.file) slot \(slot + 1)")
            }
        }
    }

    func testRecursiveLongListingJSONMatchesTheManifest() throws {
        for fixture in try allImages() {
            let manifest = try fixture.loadManifest()
            let rows = try XCTUnwrap(try CLI.json(["ls", "-l", "-R", "--json"] + CLI.imageArgument(fixture) + ["/"]) as? [[String: Any]], fixture.file)
            var problems: [String] = []
            var listed = Set<String>()
            for row in rows {
                let path = row["path"] as? String ?? "?"
                listed.insert(path)
                guard let e = manifest.entries[path] else { problems.append("not in manifest: \(path)"); continue }
                func check<T: Equatable>(_ field: String, _ want: T?, _ got: T?) {
                    if want != got { problems.append("\(path): \(field) expected \(want.map { "\($0)" } ?? "nil") got \(got.map { "\($0)" } ?? "nil")") }
                }
                check("name", path.split(separator: "/").last.map(String.init), row["name"] as? String)
                check("type", e.type, row["type"] as? String)
                check("mode", String(format: "%04o", e.mode), row["mode"] as? String)
                check("uid", e.uid, row["uid"] as? Int)
                check("gid", e.gid, row["gid"] as? Int)
                check("mtime", e.mtime, row["mtime"] as? Int)
                check("nlink", e.nlink, row["nlink"] as? Int)
                if e.type == "file" || e.type == "symlink" { check("size", e.size, row["size"] as? Int) }
                if e.type == "symlink" { check("target", e.target, row["target"] as? String) }
                if let rdev = e.rdev { check("rdev", "\(rdev[0]):\(rdev[1])", row["rdev"] as? String) }
            }
            for path in Set(manifest.entries.keys).subtracting(listed).subtracting(["/"]).sorted() { problems.append("not listed: \(path)") }
            XCTAssertEqual(rows.count, listed.count, "\(fixture.file): each path listed once")
            CLI.assertNone(problems, "ls -l -R --json \(fixture.file)")
        }
    }

    func testListingOfOneDirectoryShowsItsChildren() throws {
        let fixture = try XCTUnwrap(FixtureIndex.uncompressedFixtures().first { $0.file == "merged3.erofs" })
        let manifest = try fixture.loadManifest()
        let result = try CLI.run(["ls"] + CLI.imageArgument(fixture) + ["/usr/lib"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let expected = manifest.entries.keys.filter { $0.hasPrefix("/usr/lib/") }.map { String($0.dropFirst(9)) }.filter { !$0.contains("/") }.sorted()
        XCTAssertEqual(result.text.split(separator: "\n").map(String.init), expected)
    }

    /// The data mapping of `stat --json` for every chunk-based file equals what `dump.erofs -e`
    /// of erofs-utils 1.9 prints: logical and physical offsets and the device of each extent.
    func testStatMappingMatchesDumpErofs() throws {
        guard let sid = CLI.sidTool else { throw XCTSkip("erofs-utils 1.9 (../shared/tools/erofs-utils-sid) is not available; dump.erofs comparison skipped") }
        let chunked = try FixtureIndex.uncompressedFixtures().filter { $0.features.contains("chunk-based") || !$0.devices.isEmpty }
        XCTAssertGreaterThanOrEqual(chunked.count, 9)
        var compared = 0
        for fixture in chunked where !fixture.flat {
            let siblings = try FixtureIndex.images(in: fixture.directory)
            for (path, entry) in try fixture.loadManifest().regularFiles where (entry.size ?? 0) > 0 {
                let stat = try XCTUnwrap(try CLI.json(["stat", "--json"] + CLI.imageArgument(fixture) + [path]) as? [String: Any])
                XCTAssertEqual(stat["layout"] as? String, "chunk-based", "\(fixture.file) \(path)")
                let extents = stat["extents"] as? [[String: Any]] ?? []
                let dump = try CLI.runTool(sid, ["dump.erofs"] + fixture.devicePaths.map { "--device=" + $0 } + ["--path=" + path, "-e", fixture.path])
                XCTAssertEqual(dump.status, 0, dump.stderr)
                let rows = DumpExtents.parse(dump.text)
                // One row per chunk in both; dump.erofs prints unmapped (hole) chunks with a
                // stale address, so only mapped chunks are compared field by field.
                XCTAssertEqual(extents.count, rows.count, "\(fixture.file) \(path): extents\n\(dump.text)")
                for ours in extents {
                    let logical = ours["logical_offset"] as? Int ?? -1
                    let label = "\(fixture.file) \(path) extent at \(logical)"
                    guard let their = rows.first(where: { $0.logical == logical }) else { XCTFail("\(label): not in dump.erofs output"); continue }
                    if ours["kind"] as? String == "hole" {
                        XCTAssertEqual(their.device, 0, label)
                        continue
                    }
                    XCTAssertEqual(ours["kind"] as? String, "device", label)
                    XCTAssertEqual(ours["physical_offset"] as? Int, their.physical, label)
                    XCTAssertEqual(ours["device"] as? Int, their.device, label)
                    XCTAssertEqual(ours["block"] as? Int, their.physical / fixture.blockSize, label)
                    let device = their.device
                    let tag = device == 0 ? "" : fixture.resolvesByTag ? siblings.first { $0.file == fixture.devices[device - 1] }?.uuid ?? "?" : ""
                    XCTAssertEqual(ours["tag"] as? String, tag, label)
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 40)
    }

    /// For compressed files, every extent of `stat --json` equals `dump.erofs -e` of erofs-utils
    /// 1.9: decoded range, pcluster address and compressed length (fragments: dump.erofs prints
    /// no address, so only the range is compared).
    func testCompressedStatMappingMatchesDumpErofs() throws {
        guard let sid = CLI.sidTool else { throw XCTSkip("erofs-utils 1.9 (../shared/tools/erofs-utils-sid) is not available; dump.erofs comparison skipped") }
        var compared = 0
        for fixture in try FixtureIndex.compressedFixtures() {
            let files = try fixture.loadManifest().regularFiles.filter { ($0.entry.size ?? 0) > 0 }
            let step = max(1, files.count / 12)
            let largest = files.max { ($0.entry.size ?? 0) < ($1.entry.size ?? 0) }?.path
            for (index, (path, _)) in files.enumerated() where index % step == 0 || path == largest {
                let stat = try XCTUnwrap(try CLI.json(["stat", "--json", fixture.path, path]) as? [String: Any])
                let extents = stat["extents"] as? [[String: Any]] ?? []
                let dump = try CLI.runTool(sid, ["dump.erofs", "--path=" + path, "-e", fixture.path])
                XCTAssertEqual(dump.status, 0, dump.stderr)
                let rows = DumpExtents.parse(dump.text)
                let label = "\(fixture.file) \(path)"
                XCTAssertEqual(extents.count, rows.count, "\(label): extents\n\(dump.text)")
                for (ours, their) in zip(extents, rows) {
                    XCTAssertEqual(ours["logical_offset"] as? Int, their.logical, label)
                    // dump.erofs rounds uncompressed tails up to a block; compressed extents are exact.
                    guard ours["kind"] as? String == "compressed" else { continue }
                    XCTAssertEqual(ours["length"] as? Int, their.length, label)
                    if ours["pcluster"] as? String == "fragment" {
                        XCTAssertEqual(their.physicalLength, 0, "\(label): dump.erofs prints fragments without an address")
                        continue
                    }
                    if ours["pcluster"] as? String == "inline" && fixture.features.contains("metabox") { continue }
                    XCTAssertEqual(ours["physical_offset"] as? Int, their.physical, "\(label) at \(their.logical)")
                    XCTAssertEqual(ours["physical_length"] as? Int, their.physicalLength, "\(label) at \(their.logical)")
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 150)
    }

    func testStatShowsXattrsAndFingerprints() throws {
        for file in ["digest.erofs", "digest-trusted.erofs"] {
            let fixture = try XCTUnwrap(FixtureIndex.uncompressedFixtures().first { $0.file == file })
            let manifest = try fixture.loadManifest()
            var withFingerprint = 0
            for (path, entry) in manifest.regularFiles.prefix(40) {
                let stat = try XCTUnwrap(try CLI.json(["stat", "--json", fixture.path, path]) as? [String: Any])
                if entry.fingerprint != nil, let sha = entry.sha256 {
                    XCTAssertEqual(stat["fingerprint"] as? String, "sha256:" + sha, "\(file) \(path)")
                    withFingerprint += 1
                } else {
                    XCTAssertTrue(stat["fingerprint"] is NSNull, "\(file) \(path): \(String(describing: stat["fingerprint"]))")
                }
                let names = Set((stat["xattrs"] as? [[String: Any]] ?? []).filter { $0["hidden"] as? Bool == false }.compactMap { $0["name"] as? String })
                XCTAssertEqual(names, Set(entry.xattrs.keys), "\(file) \(path)")
            }
            XCTAssertGreaterThan(withFingerprint, 5, file)
        }
    }
}

/// Extents as printed by `dump.erofs --path=P -e` (erofs-utils 1.9): one row per extent,
/// `N: LOGICAL..END | LEN : PHYS..END | LEN  # device K` (no marker for device 0).
enum DumpExtents {
    struct Row { var logical: Int; var length: Int; var physical: Int; var physicalLength: Int; var device: Int }

    static func parse(_ text: String) -> [Row] {
        var rows: [Row] = []
        for line in text.split(separator: "\n") where line.contains("..") && line.contains("|") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count >= 7 else { continue }
            let device = line.range(of: "# device ").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) } ?? 0
            rows.append(Row(logical: numbers[1], length: numbers[3], physical: numbers[4], physicalLength: numbers[6], device: device))
        }
        return rows
    }
}
