import FixtureSupport
import Foundation
import XCTest

/// `report --container a=base+app1 --container b=base+app2 --workload read-all` on the layer
/// fixtures, with every figure computed from the layer tars (the source trees) by the OCI rules.
final class LayerStackReportTests: XCTestCase {
    func testLayerSharingFlatAndInodeAcrossAppLayers() throws {
        let dir = FixturePaths.layers
        let tars = try ["base", "app1", "app2"].map { try LayerTar(path: dir + "/\($0).tar") }
        let visibleA = OCIStackModel.visibleFiles([tars[0], tars[1]])
        let visibleB = OCIStackModel.visibleFiles([tars[0], tars[2]])
        // Layer indexes of the model are stack positions: map them to layer names.
        func files(_ visible: [String: (file: OCIStackModel.File, size: Int, digest: String)], _ names: [String]) -> [String: (size: Int, digest: String)] {
            var out: [String: (size: Int, digest: String)] = [:]
            for v in visible.values { out[names[v.file.layer] + ":" + v.file.path] = (v.size, v.digest) }
            return out
        }
        let a = files(visibleA, ["base", "app1"])
        let b = files(visibleB, ["base", "app2"])
        func bytes<S: Sequence>(_ keys: S, _ table: [String: (size: Int, digest: String)]) -> UInt64 where S.Element == String {
            UInt64(keys.reduce(0) { $0 + OCIStackModel.pages(table[$1]!.size) } * 4096)
        }
        let onlyB = Set(b.keys).subtracting(a.keys)
        XCTAssertTrue(onlyB.contains("base:/usr/lib/py/json/tool.py"), "a base file whited out in a but visible in b is b's to add")
        XCTAssertFalse(b.keys.contains("base:/etc/conf.d/a.conf"), "app2 deletes etc/conf.d")

        let report = try XCTUnwrap(try CLI.json(["report", "--json", "--fingerprints", "compute", "--workload", "read-all",
                                                 "--container", "a=\(dir)/base.erofs+\(dir)/app1.erofs",
                                                 "--container", "b=\(dir)/base.erofs+\(dir)/app2.erofs"]) as? [String: Any])
        var data: [String: [String: UInt64]] = [:]   // policy → container → data bytes
        for policy in report["policies"] as? [[String: Any]] ?? [] {
            for c in policy["containers"] as? [[String: Any]] ?? [] {
                let added = (c["added_bytes"] as? NSNumber)?.uint64Value ?? 0
                let directories = (c["directory_bytes"] as? NSNumber)?.uint64Value ?? 0
                data[policy["policy"] as? String ?? "", default: [:]][c["name"] as? String ?? ""] = added - directories
            }
        }
        XCTAssertEqual(Set(data.keys), ["none", "blob", "inode", "chunk", "flat"], "flat is in 'all' for stacks")

        // none: one mount per layer; b adds only what a did not read (its own layer, and base
        // files a does not see); base is counted once.
        XCTAssertEqual(data["none"]?["a"], bytes(a.keys, a))
        XCTAssertEqual(data["none"]?["b"], bytes(onlyB, b))
        XCTAssertEqual(data["none"]?["b"], bytes(onlyB.filter { $0.hasPrefix("app2:") }, b) + bytes(onlyB.filter { $0.hasPrefix("base:") }, b))
        // flat: private copies, both charged in full.
        XCTAssertEqual(data["flat"]?["a"], bytes(a.keys, a))
        XCTAssertEqual(data["flat"]?["b"], bytes(b.keys, b))
        // inode (computed fingerprints): equal contents share one cache across layers, so b
        // also skips app2 files identical to files a read (the shared/ copies in app1 and app2).
        func distinctContentBytes(_ keys: [String], _ table: [String: (size: Int, digest: String)], excluding: Set<String>) -> UInt64 {
            var seen = excluding
            var total = 0
            for key in keys.sorted() where table[key]!.size > 0 {
                let content = table[key]!.digest + ":\(table[key]!.size)"
                if seen.insert(content).inserted { total += OCIStackModel.pages(table[key]!.size) }
            }
            return UInt64(total * 4096)
        }
        let contentsOfA = Set(a.values.filter { $0.size > 0 }.map { $0.digest + ":\($0.size)" })
        XCTAssertEqual(data["inode"]?["a"], distinctContentBytes(Array(a.keys), a, excluding: []))
        XCTAssertEqual(data["inode"]?["b"], distinctContentBytes(Array(b.keys).filter { onlyB.contains($0) }, b, excluding: contentsOfA))
        let sharedAcrossApps = onlyB.filter { $0.hasPrefix("app2:") && contentsOfA.contains(b[$0]!.digest + ":\(b[$0]!.size)") }
        XCTAssertTrue(sharedAcrossApps.contains("app2:/usr/lib/py/shared/textwrap.py"), "\(sharedAcrossApps)")
        XCTAssertLessThan(data["inode"]!["b"]!, data["none"]!["b"]!)

        // Per-layer rows: base's data pages once under none (a's and b's base files), twice the
        // common ones under flat; containers using each layer.
        let layers = try XCTUnwrap(report["layers"] as? [[String: Any]])
        let base = try XCTUnwrap(layers.first { $0["image"] as? String == "base.erofs" })
        XCTAssertEqual(base["containers"] as? [String], ["a", "b"])
        XCTAssertEqual(layers.first { $0["image"] as? String == "app2.erofs" }?["containers"] as? [String], ["b"])
        let baseData = try XCTUnwrap(base["data_bytes"] as? [String: Any])
        let baseInA = a.keys.filter { $0.hasPrefix("base:") }, baseInB = b.keys.filter { $0.hasPrefix("base:") }
        XCTAssertEqual((baseData["none"] as? NSNumber)?.uint64Value, bytes(Set(baseInA).union(baseInB), a.merging(b) { x, _ in x }))
        XCTAssertEqual((baseData["flat"] as? NSNumber)?.uint64Value, bytes(baseInA, a) + bytes(baseInB, b))
    }
}
