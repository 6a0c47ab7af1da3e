import EROFS
import Foundation
import XCTest
@testable import Inspector

final class CatalogAndSharingTests: XCTestCase {
    func testCatalogMatchesManifest() throws {
        let catalog = try Samples.catalog("requests-v1.erofs")
        let manifest = try Samples.manifest("requests-v1")
        XCTAssertEqual(Set(catalog.entries.map(\.path)), Set(manifest.keys))
        for entry in catalog.entries {
            let m = try XCTUnwrap(manifest[entry.path])
            XCTAssertEqual(entry.type == .directory ? "dir" : entry.type == .regular ? "file" : "other",
                           (m["type"] as? String).map { $0 == "dir" || $0 == "file" ? $0 : "other" }, entry.path)
            if entry.type == .regular { XCTAssertEqual(entry.size, (m["size"] as? NSNumber)?.uint64Value, entry.path) }
            if entry.path != "/" {
                XCTAssertEqual(catalog.entries[entry.parent].path, (entry.path as NSString).deletingLastPathComponent)
            }
        }
        let root = catalog.entries[0]
        let total = catalog.regularFiles.reduce(UInt64(0)) { $0 + catalog.entries[$1].size }
        XCTAssertEqual(root.subtreeSize, total, "no hard links in the samples, so the root's subtree size is the sum of all files")
        XCTAssertEqual(catalog.index(ofPath: "/etc//os-release"), catalog.index(ofPath: "/etc/os-release"))
    }

    func testMergedImagesCarryNoUsableFingerprintsButComputedOnesMatchTheLayers() throws {
        let merged = try Samples.catalog("requests-v1.erofs")
        let stored = try SharingIndex(catalogs: [merged], fingerprintSource: .stored)
        XCTAssertTrue(stored.fingerprints[0].isEmpty, "mkfs.erofs 1.9 rebuild mode writes zeroed fingerprints")
        let computed = try SharingIndex(catalogs: [merged], fingerprintSource: .compute)
        let manifest = try Samples.manifest("layer-requests-2.31")
        var checked = 0
        for (path, m) in manifest {
            guard let expected = m["fingerprint"] as? String, let i = merged.index(ofPath: path) else { continue }
            let value = try XCTUnwrap(computed.fingerprints[0][merged.entries[i].nid], path)
            XCTAssertEqual(value.map { String(format: "%02x", $0) }.joined(), expected, path)
            checked += 1
        }
        // Every fingerprinted file of the app layer shows through the merged view (v1 overrides nothing of it).
        XCTAssertEqual(checked, manifest.values.filter { $0["fingerprint"] != nil }.count)
        XCTAssertGreaterThan(checked, 0)
        // The layer itself carries the same values as stored xattrs.
        let layer = try Samples.catalog("layer-requests-2.31.erofs")
        let layerIndex = try SharingIndex(catalogs: [layer], fingerprintSource: .stored)
        XCTAssertEqual(layerIndex.fingerprints[0].count, layer.regularFiles.filter { layer.entries[$0].size > 0 }.count)
    }

    func testBlobPlacementFollowsTheRFCRules() throws {
        let base = try Samples.catalog("python-base.erofs")
        let v1 = try Samples.catalog("requests-v1.erofs")
        let path = "/usr/bin/python3.11"
        let a = try XCTUnwrap(BlobIdentity.placement(base.image, base.image.resolve(path, followFinalSymlink: true)))
        let b = try XCTUnwrap(BlobIdentity.placement(v1.image, v1.image.resolve(path, followFinalSymlink: true)))
        XCTAssertEqual(a, b, "the same base-layer file in two merged images sits at the same blob address")
        XCTAssertEqual(a.blob, "5a0000000000400080000000000000ba")
        XCTAssertEqual(a.address % 4096, 0)
        // Directories are never shared.
        XCTAssertNil(try BlobIdentity.placement(v1.image, v1.image.rootInode()))
        // A file of the app layer is in the app layer's blob.
        let app = try XCTUnwrap(BlobIdentity.placement(v1.image, v1.image.resolve("/app/main.py", followFinalSymlink: true)))
        XCTAssertEqual(app.blob, "5a0000000000400080000000000000a1")
    }

    func testSharingIndexFindsBaseLayerChunksAcrossImages() throws {
        let catalogs = try ["python-base.erofs", "requests-v1.erofs", "requests-v2.erofs"].map(Samples.catalog)
        let index = try SharingIndex(catalogs: catalogs, fingerprintSource: .compute)
        let chunkGroups = index.groups.filter { if case .chunk = $0.kind { return true } else { return false } }
        // Every non-empty regular file of the base image is shared with v1 (same base blob),
        // except files v1 overrides.
        let baseFiles = catalogs[0].regularFiles.filter { catalogs[0].entries[$0].size > 0 }
        let sharedBaseNames = Set(chunkGroups.flatMap { $0.sharers.filter { $0.image == 0 }.map(\.entry) })
        XCTAssertGreaterThan(sharedBaseNames.count, baseFiles.count * 9 / 10)
        for group in chunkGroups {
            XCTAssertGreaterThan(group.sharers.count, 1)
            // All sharers of a chunk read the same bytes.
            let contents = try group.sharers.prefix(3).map { s -> [UInt8] in
                let e = catalogs[s.image].entries[s.entry]
                return try catalogs[s.image].image.contents(of: catalogs[s.image].image.inode(e.nid))
            }
            if let first = contents.first, contents.allSatisfy({ $0.count == first.count }) {
                XCTAssertTrue(contents.allSatisfy { $0 == first })
            }
        }
        XCTAssertGreaterThan(index.groups.count, 0)
        let fileGroups = index.groups.filter { if case .file = $0.kind { return true } else { return false } }
        XCTAssertFalse(fileGroups.isEmpty)
        XCTAssertTrue(fileGroups.allSatisfy { g in Set(g.sharers.map { catalogs[$0.image].entries[$0.entry].size }).count == 1 })
    }

    /// Between the two app versions, inode (fingerprint) sharing finds exactly the app-layer files
    /// whose bytes the two layer manifests say are identical (idna, charset_normalizer, the app).
    func testFingerprintSharingBetweenTheAppVersionsIsTheIdenticalFiles() throws {
        let catalogs = try ["requests-v1.erofs", "requests-v2.erofs"].map(Samples.catalog)
        let index = try SharingIndex(catalogs: catalogs, fingerprintSource: .compute)
        let old = try Samples.manifest("layer-requests-2.31"), new = try Samples.manifest("layer-requests-2.32")
        let identical = Set(old.compactMap { path, m -> String? in
            guard m["type"] as? String == "file", (m["size"] as? NSNumber)?.intValue ?? 0 > 0,
                  let sum = m["sha256"] as? String, new[path]?["sha256"] as? String == sum else { return nil }
            return path
        })
        XCTAssertFalse(identical.isEmpty)
        XCTAssertTrue(identical.contains("/app/main.py"))
        var shared = Set<String>()
        for group in index.groups {
            guard case .file = group.kind else { continue }
            let byImage = Dictionary(grouping: group.sharers, by: \.image)
            guard let a = byImage[0], let b = byImage[1] else { continue }
            let pathsA = Set(a.map { catalogs[0].entries[$0.entry].path }), pathsB = Set(b.map { catalogs[1].entries[$0.entry].path })
            shared.formUnion(pathsA.intersection(pathsB).filter { old[$0] != nil })
        }
        XCTAssertEqual(shared, identical)
    }

    func testMergedImageHasNoPaddingXattrs() throws {
        let image = try Samples.image("requests-v1.erofs")
        let inode = try image.resolve("/app/main.py", followFinalSymlink: true)
        XCTAssertGreaterThan(inode.xattrCount, 0, "rebuild mode leaves a zeroed xattr area")
        XCTAssertEqual(try image.xattrs(of: inode), [], "all-zero entries are padding, not attributes")
    }
}
