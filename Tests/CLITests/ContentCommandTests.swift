import FixtureSupport
import Foundation
import XCTest

/// `erofs-top cat|extract` write exactly the manifest's bytes and tree; failures exit 1 with
/// a message that says what and where.
final class ContentCommandTests: XCTestCase {
    func testCatWritesTheManifestBytes() throws {
        let wanted: Set<String> = ["plain.erofs", "noinline.erofs", "plain-b512.erofs", "48bit.erofs", "chunk64k.erofs", "chunk1m-blob.erofs",
                                   "merged3.erofs", "merged3-flat.erofs", "tari.erofs"]
        let fixtures = try FixtureIndex.uncompressedFixtures().filter { wanted.contains($0.file) } + FixtureIndex.sampleImages().filter { $0.file == "requests-v2.erofs" }
        XCTAssertEqual(fixtures.count, wanted.count + 1)
        for fixture in fixtures {
            let files = try fixture.loadManifest().regularFiles
            // About 30 files spread over the tree, and always the largest one (one process each).
            let step = max(1, files.count / 30)
            let largest = files.max { ($0.entry.size ?? 0) < ($1.entry.size ?? 0) }?.path
            for (index, (path, entry)) in files.enumerated() where index % step == 0 || path == largest {
                let result = try CLI.run(["cat"] + CLI.imageArgument(fixture) + [path])
                XCTAssertEqual(result.status, 0, "\(fixture.file) \(path): \(result.stderr)")
                XCTAssertEqual(result.stdout.count, entry.size, "\(fixture.file) \(path)")
                XCTAssertEqual(Hex.sha256(Array(result.stdout)), entry.sha256, "\(fixture.file) \(path)")
            }
        }
    }

    func testCatFollowsSymlinksInsideTheImage() throws {
        let fixture = try XCTUnwrap(FixtureIndex.uncompressedFixtures().first { $0.file == "tari.erofs" })
        let manifest = try fixture.loadManifest()
        let link = try XCTUnwrap(manifest.entries["/sub/link"])
        XCTAssertEqual(link.target, "../hello.txt")
        let result = try CLI.run(["cat"] + CLI.imageArgument(fixture) + ["/sub/link"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Hex.sha256(Array(result.stdout)), manifest.entries["/hello.txt"]?.sha256)
    }

    func testExtractWritesTheManifestTree() throws {
        let root = try CLI.temporaryDirectory("extract")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fixtures = try FixtureIndex.allFixtures() + FixtureIndex.sampleImages()
        for (i, fixture) in fixtures.enumerated() {
            let destination = "\(root)/\(i)"
            let result = try CLI.run(["extract", "--json"] + CLI.imageArgument(fixture) + [destination])
            XCTAssertEqual(result.status, 0, "\(fixture.file): \(result.stderr)")
            let manifest = try fixture.loadManifest()
            let summary = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
            let entries = manifest.entries.values
            XCTAssertEqual(summary["directories"] as? Int, entries.filter { $0.type == "dir" }.count, fixture.file)
            XCTAssertEqual(summary["symlinks"] as? Int, entries.filter { $0.type == "symlink" }.count, fixture.file)
            XCTAssertEqual((summary["files"] as? Int ?? 0) + (summary["hard_links"] as? Int ?? 0), entries.filter { $0.type == "file" }.count, fixture.file)
            let diffs = try ManifestComparison.differences(extracted: destination, manifest, owners: getuid() == 0)
            CLI.assertNone(diffs, "erofs-top extract \(fixture.file)")
        }
    }

    // MARK: Errors

    /// A corrupt compressed stream: `cat` and `extract` exit 1 naming the image, the file, the
    /// offset of the extent and the pcluster.
    func testCorruptCompressedDataNamesFileAndOffset() throws {
        let image = FixturePaths.directory + "/corrupt/z-lz4-stream-corrupt.erofs"
        let root = try CLI.temporaryDirectory("corrupt-extract")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for command in [["cat", image, "/files/medium300k.txt"], ["extract", image, root + "/out"]] {
            let result = try CLI.run(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            for needle in [image, "/files/medium300k.txt", "file offset", "pcluster at byte", "compressionCorrupt"] {
                XCTAssertTrue(result.stderr.contains(needle), "\(command): '\(needle)' missing from: \(result.stderr)")
            }
        }
    }

    func testMissingPathExitsWithAMessageNamingImageAndPath() throws {
        let image = FixturePaths.images + "/plain.erofs"
        for command in [["cat"], ["stat", "--json"], ["ls"]] {
            let result = try CLI.run(command + [image, "/no/such/file"])
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stdout.isEmpty || command == ["ls"], "\(command) printed \(result.text)")
            for needle in [image, "/no/such/file", "notFound"] {
                XCTAssertTrue(result.stderr.contains(needle), "\(command): '\(needle)' missing from: \(result.stderr)")
            }
        }
        let directory = try CLI.run(["cat", image, "/deep"])
        XCTAssertEqual(directory.status, 1)
        XCTAssertTrue(directory.stderr.contains("not a regular file"), directory.stderr)
    }

    func testMissingBlobExitsWithAMessageNamingImageSlotTagAndFolder() throws {
        let dir = try CLI.temporaryDirectory("blob")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for file in ["merged3.erofs", "layer-base.erofs", "layer-a.erofs"] {
            try FileManager.default.copyItem(atPath: FixturePaths.images + "/" + file, toPath: dir + "/" + file)
        }
        let image = dir + "/merged3.erofs"
        let tag = "aaaaaaaa0000400080000000000000bb"   // layer-b's UUID (images/index.json)
        let layerB = try XCTUnwrap(FixtureIndex.uncompressedFixtures().first { $0.file == "layer-b.erofs" })
        XCTAssertEqual(layerB.uuid, tag)
        // Metadata-only: listing works; only reads of the missing device's data fail.
        let listing = try CLI.run(["ls", "-R", image])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        XCTAssertTrue(listing.text.contains("/etc/config"), listing.text)
        for command in [["cat", image, "/etc/config"], ["extract", image, dir + "/out"]] {
            let result = try CLI.run(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            for needle in [image, "slot 3", tag, dir, "blobMissing"] {
                XCTAssertTrue(result.stderr.contains(needle), "\(command[0]): '\(needle)' missing from: \(result.stderr)")
            }
        }
        // info still describes the image, and shows which device is missing.
        let info = try XCTUnwrap(try CLI.json(["info", "--json", image]) as? [String: Any])
        let origins = (info["devices"] as? [[String: Any]] ?? []).map { $0["origin"] as? String ?? "" }
        XCTAssertEqual(origins, ["primary", "tag", "tag", "missing"])
        // --blob-dir points the search elsewhere.
        let found = try CLI.run(["cat", image, "/etc/config", "--blob-dir", FixturePaths.images])
        XCTAssertEqual(found.status, 0, found.stderr)
    }

    func testWrongBlobExitsWithAMismatchMessage() throws {
        let image = FixturePaths.images + "/merged2.erofs"
        let wrong = FixturePaths.images + "/layer-b.erofs"
        let result = try CLI.run(["cat", "\(image),device=\(FixturePaths.images)/layer-base.erofs,device=\(wrong)", "/etc/config"])
        XCTAssertEqual(result.status, 1)
        for needle in [image, "slot 2", "aaaaaaaa00004000800000000000000a", wrong, "blobMismatch"] {
            XCTAssertTrue(result.stderr.contains(needle), "'\(needle)' missing from: \(result.stderr)")
        }
    }

    func testCorruptImageExitsWithTheErrorKind() throws {
        let image = FixturePaths.directory + "/corrupt/sb-bad-magic.erofs"
        let result = try CLI.run(["ls", "-R", image])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(image) && result.stderr.contains("badMagic"), result.stderr)
        let cycle = try CLI.run(["ls", "-R", FixturePaths.directory + "/corrupt/directory-cycle-root.erofs"])
        XCTAssertEqual(cycle.status, 1)
        XCTAssertTrue(cycle.stderr.contains("directoryCycle") && cycle.stderr.contains("/opt/app"), cycle.stderr)
    }
}
