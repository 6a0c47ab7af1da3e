import EROFS
import FixtureSupport
import Foundation
import XCTest

/// Every committed fixture (uncompressed and compressed) made by erofs-utils 1.9 (Tests/Fixtures/images, listed
/// in index.json) and every bundled sample, read by the library and compared with its manifest,
/// and extracted by the library and by `fsck.erofs --extract`.
final class FixtureImageTests: XCTestCase {
    /// The fixtures under test; fails (rather than silently passing) if the index is empty.
    private func fixtures() throws -> [FixtureImage] {
        let list = try FixtureIndex.allFixtures()
        XCTAssertGreaterThanOrEqual(list.count, 20 + 15, "index.json should list the uncompressed and compressed fixtures")
        return list
    }

    func testEveryFixtureMatchesItsManifest() throws {
        for fixture in try fixtures() {
            let image: Image
            do { image = try fixture.open() } catch {
                XCTFail("\(fixture.file): cannot open: \(error)")
                continue
            }
            XCTAssertEqual(image.blockSize, fixture.blockSize, fixture.file)
            XCTAssertEqual(image.superblock.uuidHex, fixture.uuid, fixture.file)
            XCTAssertEqual(image.isFlat, fixture.flat, "\(fixture.file): flat mode")
            XCTAssertEqual(image.devices.count - 1, Int(image.superblock.extraDevices), fixture.file)
            ManifestComparison.assertNone(try ManifestComparison.differences(image, try fixture.loadManifest()), fixture.file)
        }
    }

    func testFixtureFeaturesAreWhatTheIndexClaims() throws {
        for fixture in try fixtures() {
            let image = try fixture.open()
            var layouts = Set<DataLayout>()
            var chunkFormats = Set<String>()
            var devicesUsed = Set<Int>()
            var holes = 0
            try image.walk { event in
                guard case .entry(_, let inode) = event, inode.type == .regular, inode.size > 0 else { return }
                layouts.insert(inode.layout)
                guard inode.layout == .chunkBased else { return }
                chunkFormats.insert(inode.chunkFormat & 0x20 == 0 ? "blockmap" : inode.chunkFormat & 0x40 != 0 ? "index48" : "index")
                for extent in try image.extents(of: inode) {
                    switch extent.location {
                    case .hole: holes += 1
                    case .device(let id, _): devicesUsed.insert(id)
                    default: break
                    }
                }
            }
            let f = Set(fixture.features)
            if f.contains("flat-inline") { XCTAssertTrue(layouts.contains(.flatInline), "\(fixture.file) should have files with inline tails") }
            if f.contains("flat-plain-only") { XCTAssertFalse(layouts.contains(.flatInline), "\(fixture.file) should have no file with an inline tail") }
            if f.contains("block-map") { XCTAssertTrue(chunkFormats.contains("blockmap"), "\(fixture.file): \(chunkFormats)") }
            if f.contains("chunk-indexes") { XCTAssertTrue(chunkFormats.contains("index"), "\(fixture.file): \(chunkFormats)") }
            if f.contains("chunk-indexes-48bit") { XCTAssertTrue(chunkFormats.contains("index48"), "\(fixture.file): \(chunkFormats)") }
            if f.contains("holes") { XCTAssertGreaterThan(holes, 0, "\(fixture.file) should have hole chunks") }
            if !fixture.devices.isEmpty {
                XCTAssertEqual(devicesUsed.subtracting([0]), Set(1...fixture.devices.count), "\(fixture.file): every extra device holds data")
            }
        }
    }

    func testRebuildImagesWithExplicitDevicesMatchTheirManifests() throws {
        let rebuilt = try fixtures().filter(\.resolvesByTag)
        XCTAssertFalse(rebuilt.isEmpty)
        for fixture in rebuilt {
            let image = try Image(ImageSpec(path: fixture.path, devices: fixture.devicePaths))
            for (slot, device) in zip(fixture.devicePaths, image.devices.dropFirst()) {
                XCTAssertEqual(device.path, slot, fixture.file)
            }
            ManifestComparison.assertNone(try ManifestComparison.differences(image, try fixture.loadManifest()), "\(fixture.file) with device=")
        }
    }

    func testBundledSamplesMatchTheirManifests() throws {
        let samples = try FixtureIndex.sampleImages()
        XCTAssertEqual(samples.count, 6)
        for sample in samples {
            let image = try sample.open()
            ManifestComparison.assertNone(try ManifestComparison.differences(image, try sample.loadManifest()), "sample \(sample.file)")
        }
    }

    func testExtractMatchesManifest() throws {
        let root = try Shell.temporaryDirectory("extract-manifest")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (i, fixture) in try fixtures().enumerated() {
            let destination = "\(root)/\(i)"
            try fixture.open().extract(to: destination)
            let diffs = try ManifestComparison.differences(extracted: destination, try fixture.loadManifest(), owners: getuid() == 0)
            ManifestComparison.assertNone(diffs, "extract of \(fixture.file)")
        }
    }

    func testExtractMatchesFsckExtract() throws {
        guard let sid = Shell.sidTool else {
            throw XCTSkip("erofs-utils 1.9 (../shared/tools/erofs-utils-sid) is not available; fsck.erofs --extract comparison skipped")
        }
        let known = try KnownFsckProblems.load()
        let root = try Shell.temporaryDirectory("extract-fsck")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var compared = 0
        for (i, fixture) in try fixtures().enumerated() {
            if let reason = known[fixture.file] {
                print("skip \(fixture.file): known fsck.erofs 1.9.4 --extract problem: \(reason) (compared with its manifest instead)")
                continue
            }
            let ours = "\(root)/\(i)-ours", theirs = "\(root)/\(i)-fsck"
            try fixture.open().extract(to: ours)
            let args = fixture.devicePaths.map { "--device=" + $0 } + ["--extract=" + theirs, fixture.path]
            let result = try Shell.run(sid, ["fsck.erofs"] + args)
            guard result.status == 0 else {
                XCTFail("fsck.erofs --extract \(fixture.file) failed (\(result.status)): \(result.output)")
                continue
            }
            try TreeComparison.assertTreesEqual(ours, theirs)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 10)
    }
}

/// The images whose `fsck.erofs 1.9.4 --extract` output is known to be wrong, as documented
/// by `Tests/Fixtures/check_fixtures.py` (its KNOWN_FSCK_EXTRACT_BUGS table).
enum KnownFsckProblems {
    static func load() throws -> [String: String] {
        let text = try String(contentsOfFile: Fixtures.directory + "/check_fixtures.py", encoding: .utf8)
        guard let start = text.range(of: "KNOWN_FSCK_EXTRACT_BUGS = {"),
              let end = text.range(of: "\n}", range: start.upperBound..<text.endIndex) else {
            throw EROFSError(.invalidArgument, "check_fixtures.py has no KNOWN_FSCK_EXTRACT_BUGS table")
        }
        var out: [String: String] = [:]
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
            if parts.count >= 5 { out[String(parts[1])] = String(parts[3]) }
        }
        return out
    }
}
