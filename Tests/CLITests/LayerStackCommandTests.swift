import FixtureSupport
import Foundation
import XCTest

/// `ls`, `stat`, `cat` and `extract` on a layer stack `LOWER+...+UPPER` name each entry's layer.
final class LayerStackCommandTests: XCTestCase {
    static let stack = ["base", "app1", "app2"].map { FixturePaths.layers + "/\($0).erofs" }.joined(separator: "+")

    func testLongListingHasALayerColumnAndJSONALayerField() throws {
        let long = try CLI.run(["ls", "-lR", Self.stack])
        XCTAssertEqual(long.status, 0, long.stderr)
        let lines = long.text.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasSuffix(" app1.erofs /etc/hostname") }, long.text)
        XCTAssertTrue(lines.contains { $0.hasSuffix(" base.erofs /usr/lib/py/email/charset.py") }, long.text)
        XCTAssertFalse(lines.contains { $0.hasSuffix(" /usr/lib/py/json/tool.py") }, "whited out in app1")
        XCTAssertTrue(lines.contains { $0.hasSuffix("/usr/bin/py -> ../lib/py/json/tool.py") }, "the dangling symlink stays")
        let entries = try XCTUnwrap(try CLI.json(["ls", "--json", Self.stack, "/usr/lib/py"]) as? [[String: Any]])
        let layers = Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as? String ?? "", $0["layer"] as? String ?? "") })
        XCTAssertEqual(layers["empty"], "app2.erofs", "a file in app2 replaced base's directory")
        XCTAssertEqual(layers["email"], "app2.erofs", "a merged directory comes from its topmost layer")
        XCTAssertEqual(entries.first { $0["name"] as? String == "email" }?["merged_layers"] as? [String], ["app2.erofs", "base.erofs"])
    }

    func testStatAndCatUseTheWinningLayer() throws {
        let stat = try XCTUnwrap(try CLI.json(["stat", "--json", Self.stack, "/usr/lib/py/json/decoder.py"]) as? [String: Any])
        XCTAssertEqual(stat["layer"] as? String, "app1.erofs")
        XCTAssertEqual((stat["layer_index"] as? NSNumber)?.intValue, 1)
        let text = try CLI.run(["stat", Self.stack, "/usr/lib/py/json/decoder.py"])
        XCTAssertTrue(text.text.contains("Layer: app1.erofs (2 of 3"), text.text)
        let cat = try CLI.run(["cat", Self.stack, "/usr/lib/py/json/decoder.py"])
        XCTAssertEqual(cat.status, 0, cat.stderr)
        let original = try Data(contentsOf: URL(fileURLWithPath: "/usr/lib/python3.11/json/decoder.py"))
        XCTAssertEqual(cat.stdout, original + Data("\n# app1\n".utf8), "app1's version, as make_layer_tars.py wrote it")
        let missing = try CLI.run(["cat", Self.stack, "/usr/lib/py/email/errors.py"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("notFound"), missing.stderr)
    }

    func testExtractWritesTheMergedTree() throws {
        let dir = try CLI.temporaryDirectory("stack-extract")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["extract", Self.stack, dir + "/out"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let fm = FileManager.default
        XCTAssertEqual(try String(contentsOfFile: dir + "/out/etc/hostname", encoding: .utf8), "app1\n")
        XCTAssertFalse(fm.fileExists(atPath: dir + "/out/etc/conf.d"))
        XCTAssertFalse(fm.fileExists(atPath: dir + "/out/usr/lib/py/json/tool.py"))
        XCTAssertTrue(fm.fileExists(atPath: dir + "/out/usr/lib/py/site-packages/six-1.16.0.dist-info/RECORD"))
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: dir + "/out/usr/lib/py/json").filter { $0.contains(".wh.") }, [])
    }
}
