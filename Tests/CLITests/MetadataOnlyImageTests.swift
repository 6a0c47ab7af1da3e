import FixtureSupport
import Foundation
import XCTest

/// Images whose blob is absent or does not match open as metadata: `info`, `ls`, `stat` and
/// `report` work; only reads of the data fail, naming the device and the path.
final class MetadataOnlyImageTests: XCTestCase {
    /// base-tari.erofs (`mkfs.erofs --tar=i`) copied alone into a folder: its device 1 (the
    /// layer tar, empty tag) cannot be found.
    private func imageWithoutItsTar() throws -> (dir: String, image: String) {
        let dir = try CLI.temporaryDirectory("metadata-only")
        let image = dir + "/base-tari.erofs"
        try FileManager.default.copyItem(atPath: FixturePaths.layers + "/base-tari.erofs", toPath: image)
        return (dir, image)
    }

    func testListingAndStatWorkWithoutTheBlob() throws {
        let (dir, image) = try imageWithoutItsTar()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let withTar = FixturePaths.layers + "/base-tari.erofs,device=" + FixturePaths.layers + "/base.tar"
        let full = try CLI.run(["ls", "-lR", withTar])
        XCTAssertEqual(full.status, 0, full.stderr)
        let partial = try CLI.run(["ls", "-lR", image])
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertEqual(partial.text, full.text, "the listing is metadata: the same with or without the tar")
        XCTAssertTrue(partial.text.contains("decoder.py"), partial.text)

        let stat = try XCTUnwrap(try CLI.json(["stat", "--json", image, "/usr/lib/py/json/decoder.py"]) as? [String: Any])
        let expected = try Data(contentsOf: URL(fileURLWithPath: "/usr/lib/python3.11/json/decoder.py")).count
        XCTAssertEqual((stat["size"] as? NSNumber)?.intValue, expected, "\(stat)")

        let info = try XCTUnwrap(try CLI.json(["info", "--json", image]) as? [String: Any])
        let devices = try XCTUnwrap(info["devices"] as? [[String: Any]])
        XCTAssertEqual(devices.map { $0["origin"] as? String }, ["primary", "missing"])
        XCTAssertEqual(devices[1]["unavailable"] as? String, "blobMissing")
    }

    func testCatAndExtractNameTheMissingDeviceAndThePath() throws {
        let (dir, image) = try imageWithoutItsTar()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cat = try CLI.run(["cat", image, "/usr/lib/py/json/decoder.py"])
        XCTAssertEqual(cat.status, 1)
        for needle in [image, "/usr/lib/py/json/decoder.py", "device slot 1", "blobMissing"] {
            XCTAssertTrue(cat.stderr.contains(needle), "'\(needle)' missing from: \(cat.stderr)")
        }
        let extract = try CLI.run(["extract", image, dir + "/out"])
        XCTAssertEqual(extract.status, 1)
        XCTAssertTrue(extract.stderr.contains("device slot 1") && extract.stderr.contains("blobMissing"), extract.stderr)
    }

    func testMismatchedBlobIsReportedAndOnlyReadsFail() throws {
        // app1.tar is shorter than base's device slot claims.
        let image = FixturePaths.layers + "/base-tari.erofs,device=" + FixturePaths.layers + "/app1.tar"
        let listing = try CLI.run(["ls", "-R", image])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let cat = try CLI.run(["cat", image, "/etc/hostname"])
        XCTAssertEqual(cat.status, 1)
        for needle in ["/etc/hostname", "device slot 1", "app1.tar", "blobMismatch"] {
            XCTAssertTrue(cat.stderr.contains(needle), "'\(needle)' missing from: \(cat.stderr)")
        }
        let info = try XCTUnwrap(try CLI.json(["info", "--json", image]) as? [String: Any])
        let devices = try XCTUnwrap(info["devices"] as? [[String: Any]])
        XCTAssertEqual(devices[1]["origin"] as? String, "mismatched")
    }

    func testReportRunsOnMetadataAndComputeNamesTheDevice() throws {
        let (dir, image) = try imageWithoutItsTar()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let withTar = FixturePaths.layers + "/base-tari.erofs,device=" + FixturePaths.layers + "/base.tar"
        let partial = try XCTUnwrap(try CLI.json(["report", "--json", "--policy", "none,inode", image]) as? [String: Any])
        let full = try XCTUnwrap(try CLI.json(["report", "--json", "--policy", "none,inode", withTar]) as? [String: Any])
        XCTAssertEqual(Self.totals(partial), Self.totals(full), "the model needs only metadata")
        XCTAssertGreaterThan(Self.totals(full)["none"] ?? 0, 0)
        let compute = try CLI.run(["report", "--fingerprints", "compute", image])
        XCTAssertEqual(compute.status, 1)
        for needle in ["device slot 1", "blobMissing", "/etc/conf.d/a.conf"] {  // the first file read
            XCTAssertTrue(compute.stderr.contains(needle), "'\(needle)' missing from: \(compute.stderr)")
        }
    }

    /// Total bytes per policy from `report --json`.
    static func totals(_ report: [String: Any]) -> [String: Int] {
        var out: [String: Int] = [:]
        for policy in report["policies"] as? [[String: Any]] ?? [] {
            if let name = policy["policy"] as? String, let bytes = (policy["total_bytes"] as? NSNumber)?.intValue { out[name] = bytes }
        }
        return out
    }
}
