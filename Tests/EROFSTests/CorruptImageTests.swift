import EROFS
import FixtureSupport
import Foundation
import XCTest

/// Corrupted copies of real fixtures (Tests/Fixtures/corrupt, made by corrupt.py): each must
/// end in a typed error of the kind cases.json names, never a crash or a hang; and missing or
/// wrong blobs must be reported with the image, slot, tag and the place searched.
final class CorruptImageTests: XCTestCase {
    static let directory = Fixtures.directory + "/corrupt"

    /// One entry of corrupt/cases.json.
    struct Case {
        var file: String
        var source: String
        var devices: [String]
        var what: String
        var expect: String
    }

    static func cases() throws -> [Case] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/cases.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let list = root?["cases"] as? [[String: Any]] ?? []
        return list.map {
            Case(file: $0["file"] as? String ?? "", source: $0["source"] as? String ?? "", devices: $0["devices"] as? [String] ?? [],
                 what: $0["what"] as? String ?? "", expect: $0["expect"] as? String ?? "")
        }
    }

    /// Opens an image and touches everything a user could: walks the tree, and for every
    /// entry resolves its path, lists xattrs and the fingerprint, maps and reads files,
    /// reads symlink targets and directories. Returns how many entries were visited.
    @discardableResult
    static func exercise(_ spec: ImageSpec) throws -> Int {
        let image = try Image(spec)
        var visited = 0
        try image.walk { event in
            guard case .entry(let path, let inode) = event else { return }
            visited += 1
            let again = try image.resolve(path)
            guard again.nid == inode.nid else {
                throw EROFSError(.invalidArgument, "\(path) resolves to nid \(again.nid) but the walk saw \(inode.nid)")
            }
            _ = try image.xattrs(of: inode)
            _ = try image.fingerprint(of: inode)
            switch inode.type {
            case .regular:
                _ = try image.extents(of: inode)
                _ = try image.contents(of: inode)
                if inode.layout.isCompressed {
                    // Reads that start in every block, as page faults do: they map from the middle of extents.
                    for offset in stride(from: UInt64(0), to: inode.size, by: image.blockSize) { _ = try image.read(inode, at: offset, count: 1) }
                }
            case .symlink:
                _ = try image.symlinkTarget(inode)
            case .directory:
                for entry in try image.readDirectory(inode) where !entry.isDotOrDotDot {
                    _ = try image.lookup(entry.nameBytes, in: inode)
                }
            default:
                break
            }
        }
        return visited
    }

    func testEveryCorruptedImageEndsInTheExpectedTypedError() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 30, "corrupt/cases.json should list the cases")
        var kinds = Set<String>()
        for c in cases {
            let path = Self.directory + "/" + c.file
            let spec = ImageSpec(path: path, devices: c.devices.map { Self.directory + "/" + $0 })
            let label = "\(c.file) (\(c.what))"
            do {
                let visited = try Self.exercise(spec)
                XCTAssertEqual(c.expect, "ok", "\(label): read without error (\(visited) entries), expected \(c.expect)")
                XCTAssertGreaterThan(visited, 0, label)
            } catch let error as EROFSError {
                XCTAssertEqual(error.kind.rawValue, c.expect, "\(label): \(error)")
                XCTAssertEqual(error.image, path, "\(label): the error should name the image: \(error)")
                XCTAssertTrue(error.description.contains(path), "\(label): message should name the image: \(error)")
                kinds.insert(error.kind.rawValue)
            } catch {
                XCTFail("\(label): untyped error \(error)")
            }
        }
        for kind in ["badMagic", "badChecksum", "invalidSuperblock", "unsupportedFeature", "nidOutOfRange", "inodeInvalid",
                     "direntNameOffset", "direntUnsorted", "directoryCycle", "blockOutOfRange", "deviceIdOutOfRange",
                     "xattrOutOfBounds", "symlinkTooLong", "truncated", "blobMismatch"] {
            XCTAssertTrue(kinds.contains(kind), "no corrupted image exercises \(kind)")
        }
    }

    /// Errors found after the superblock should also say where: the nid or the path.
    func testErrorsInsideTheTreeNameTheNidOrPath() throws {
        for c in try Self.cases() where !c.file.hasPrefix("sb-") && !c.file.hasPrefix("truncated-1") && !c.file.hasPrefix("truncated-2")
            && !c.file.hasPrefix("device-") && c.expect != "ok" {
            let spec = ImageSpec(path: Self.directory + "/" + c.file, devices: c.devices.map { Self.directory + "/" + $0 })
            do {
                try Self.exercise(spec)
            } catch let error as EROFSError {
                XCTAssertTrue(error.nid != nil || error.path != nil, "\(c.file): \(error) names neither a nid nor a path")
            }
        }
    }

    /// The source fixtures themselves read cleanly, so each error comes from the edit.
    func testSourcesOfCorruptedImagesAreClean() throws {
        for source in Set(try Self.cases().map { "\($0.source)|\($0.devices.joined(separator: ","))" }) {
            let parts = source.split(separator: "|", omittingEmptySubsequences: false)
            let devices = parts[1].isEmpty ? [] : parts[1].split(separator: ",").map { Self.directory + "/" + $0 }
            XCTAssertGreaterThan(try Self.exercise(ImageSpec(path: Fixtures.images + "/" + parts[0], devices: devices)), 0, String(parts[0]))
        }
    }

    // MARK: Missing and wrong blobs

    /// Copies fixture images into a fresh folder and returns it.
    private func folder(with files: [String]) throws -> String {
        let dir = try Shell.temporaryDirectory("blobs")
        for file in files { try FileManager.default.copyItem(atPath: Fixtures.images + "/" + file, toPath: dir + "/" + file) }
        return dir
    }

    func testMissingRebuildBlobNamesImageSlotTagAndFolder() throws {
        let dir = try folder(with: ["merged2.erofs", "layer-base.erofs"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/merged2.erofs"
        let tag = try Image(path: Fixtures.images + "/merged2.erofs").devices[2].slot!.tag
        XCTAssertEqual(tag.count, 32)
        XCTAssertThrowsError(try Image(path: path)) { error in
            guard let e = error as? EROFSError else { return XCTFail("untyped \(error)") }
            XCTAssertEqual(e.kind, .blobMissing)
            let text = e.description
            for needle in [path, "slot 2", tag, dir] { XCTAssertTrue(text.contains(needle), "'\(needle)' missing from: \(text)") }
        }
        // Leniently opened (as info does), the image opens and only reads of that device fail.
        var spec = ImageSpec(path: path)
        spec.allowMissingDevices = true
        let image = try Image(spec)
        let fromA = try image.resolve("/opt/app/new-in-a.txt")
        XCTAssertThrowsError(try image.contents(of: fromA)) { XCTAssertEqual(($0 as? EROFSError)?.kind, .blobMissing) }
        XCTAssertNoThrow(try image.contents(of: try image.resolve("/etc/hostname")), "base-layer files still read")
    }

    func testMissingBlobInAnotherBlobFolder() throws {
        let empty = try folder(with: [])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let path = Fixtures.images + "/merged3.erofs"
        XCTAssertThrowsError(try Image(ImageSpec(path: path, blobDirectory: empty))) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMissing)
            for needle in [path, "slot 1", "aaaaaaaa00004000800000000000000b", empty] { XCTAssertTrue(text.contains(needle), "'\(needle)' missing from: \(text)") }
        }
    }

    func testMissingEmptyTagBlobSaysHowToGiveIt() throws {
        let dir = try folder(with: ["tari.erofs"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try Image(path: dir + "/tari.erofs")) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMissing)
            for needle in [dir + "/tari.erofs", "slot 1", "device="] { XCTAssertTrue(text.contains(needle), "'\(needle)' missing from: \(text)") }
        }
        XCTAssertThrowsError(try Image(ImageSpec(path: dir + "/tari.erofs", devices: [dir + "/no-such.tar"]))) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMissing)
            for needle in [dir + "/tari.erofs", "slot 1", dir + "/no-such.tar"] { XCTAssertTrue(text.contains(needle), "'\(needle)' missing from: \(text)") }
        }
    }

    func testWrongBlobIsAMismatchNamingBothUUIDs() throws {
        let path = Fixtures.images + "/merged2.erofs"
        let swapped = [Fixtures.images + "/layer-a.erofs", Fixtures.images + "/layer-base.erofs"]
        XCTAssertThrowsError(try Image(ImageSpec(path: path, devices: swapped))) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMismatch)
            for needle in [path, "slot 1", "aaaaaaaa00004000800000000000000b", "aaaaaaaa00004000800000000000000a", swapped[0]] {
                XCTAssertTrue(text.contains(needle), "'\(needle)' missing from: \(text)")
            }
        }
        XCTAssertThrowsError(try Image(ImageSpec(path: path, devices: [swapped[1]]))) { error in
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMismatch, "\(error)")
        }
    }

    func testBlobShorterThanItsSlotIsAMismatch() throws {
        let dir = try folder(with: ["chunkidx64k-blob.erofs", "chunkidx64k-blob.blob"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let blob = dir + "/chunkidx64k-blob.blob"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: blob))
        try handle.truncate(atOffset: 4096)
        try handle.close()
        XCTAssertThrowsError(try Image(ImageSpec(path: dir + "/chunkidx64k-blob.erofs", devices: [blob]))) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? EROFSError)?.kind, .blobMismatch)
            for needle in [dir + "/chunkidx64k-blob.erofs", "slot 1", blob] { XCTAssertTrue(text.contains(needle), "'\(needle)' missing from: \(text)") }
        }
    }
}
