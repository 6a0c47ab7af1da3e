import Crypto
import FixtureSupport
import Foundation
import XCTest

/// `erofs-top export`: the tables hold what the image holds (checked against `ls`, `cat` and
/// `stat`), JSON Lines and CSV agree, the schema matches its documentation, and
/// `report --per-file` rows carry the same join keys.
final class ExportCommandTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "erofs-top-export-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    private func rows(_ table: String, _ image: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: "\(folder)/\(table)/\(image).jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func testTablesDescribeTheImage() throws {
        let image = FixturePaths.samples + "/requests-v1.erofs"
        let result = try CLI.run(["export", "--out", folder, image])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("exported 1 of 1 images"), result.text)
        let files = try rows("files", "requests-v1")
        // One row per name: ls -R lists every name below the root.
        let listing = try XCTUnwrap(try CLI.json(["ls", "-R", "--json", image]) as? [[String: Any]])
        XCTAssertEqual(files.count, listing.count + 1)
        for entry in listing.prefix(200) {
            let path = try XCTUnwrap(entry["path"] as? String)
            let row = try XCTUnwrap(files.first { $0["path"] as? String == path }, path)
            XCTAssertEqual(row["nid"] as? Int, entry["nid"] as? Int, path)
            XCTAssertEqual(row["type"] as? String, entry["type"] as? String, path)
            XCTAssertEqual(row["mode"] as? String, entry["mode"] as? String, path)
            XCTAssertEqual(row["size"] as? Int, entry["size"] as? Int, path)
            XCTAssertEqual(row["image"] as? String, "requests-v1")
            XCTAssertEqual(row["layer"] as? String, "requests-v1.erofs")
            XCTAssertEqual(row["schema_version"] as? Int, 1)
        }
        let big = try XCTUnwrap(files.filter { $0["type"] as? String == "file" }.max { ($0["size"] as! Int) < ($1["size"] as! Int) })
        XCTAssertEqual(big["blob_tag"] as? String, "5a0000000000400080000000000000ba", "base files live in the base layer's blob")
        try checkDigests(image: image, name: "requests-v1", file: big)
        // A compressed file of many extents (big LZMA pclusters).
        let lzma = FixturePaths.images + "/z-lzma-C131072-48bit.erofs"
        XCTAssertEqual(try CLI.run(["export", "--out", folder, lzma]).status, 0)
        let compressed = try XCTUnwrap(try rows("files", "z-lzma-C131072-48bit").filter { $0["type"] as? String == "file" }.max { ($0["size"] as! Int) < ($1["size"] as! Int) })
        XCTAssertEqual(compressed["compression"] as? String, "lzma")
        XCTAssertGreaterThan(try checkDigests(image: lzma, name: "z-lzma-C131072-48bit", file: compressed), 1)
    }

    /// A regular file's digests are those of its bytes (cat), page by page and chunk by chunk;
    /// its chunks are stat's extents. Returns the number of chunks.
    @discardableResult
    private func checkDigests(image: String, name: String, file big: [String: Any]) throws -> Int {
        let chunks = try rows("chunks", name), pages = try rows("pages", name)
        let path = big["path"] as! String, nid = big["nid"] as! Int
        let bytes = [UInt8](try CLI.run(["cat", image, path]).stdout)
        XCTAssertEqual(bytes.count, big["size"] as? Int)
        XCTAssertEqual(big["fingerprint_computed"] as? String, "sha256:" + hex(SHA256.hash(data: bytes)))
        XCTAssertEqual(big["pages"] as? Int, (bytes.count + 4095) / 4096)
        XCTAssertEqual(big["data_read"] as? Bool, true)
        let filePages = pages.filter { $0["nid"] as? Int == nid }.sorted { ($0["page"] as! Int) < ($1["page"] as! Int) }
        XCTAssertEqual(filePages.count, big["pages"] as? Int)
        for (i, page) in filePages.enumerated() {
            var block = Array(bytes[(i * 4096)..<min(bytes.count, (i + 1) * 4096)])
            block += [UInt8](repeating: 0, count: 4096 - block.count)
            XCTAssertEqual(page["digest"] as? String, hex(SHA256.hash(data: block)), "page \(i)")
        }
        let fileChunks = chunks.filter { $0["nid"] as? Int == nid }.sorted { ($0["logical_offset"] as! Int) < ($1["logical_offset"] as! Int) }
        XCTAssertGreaterThan(fileChunks.count, 0)
        XCTAssertEqual(fileChunks.map { $0["length"] as! Int }.reduce(0, +), bytes.count)
        let stat = try XCTUnwrap(try CLI.json(["stat", "--json", image, path]) as? [String: Any])
        let extents = try XCTUnwrap(stat["extents"] as? [[String: Any]])
        XCTAssertEqual(fileChunks.count, extents.count)
        for (chunk, extent) in zip(fileChunks, extents) {
            let start = chunk["logical_offset"] as! Int, length = chunk["length"] as! Int
            XCTAssertEqual(chunk["digest"] as? String, hex(SHA256.hash(data: Array(bytes[start..<(start + length)]))))
            XCTAssertEqual(chunk["physical_address"] as? Int, extent["physical_offset"] as? Int)
            XCTAssertEqual(chunk["device"] as? Int, extent["device"] as? Int)
            XCTAssertEqual(chunk["kind"] as? String, extent["kind"] as? String)
        }
        return fileChunks.count
    }

    /// CSV holds the same rows as JSON Lines, with a header of the schema's column names.
    func testCSVMatchesJSONLines() throws {
        let image = FixturePaths.images + "/z-lz4hc-dedupe-fragments.erofs"
        XCTAssertEqual(try CLI.run(["export", "--out", folder, image, "--jobs", "1"]).status, 0)
        let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/schema.json"))) as? [String: Any])
        let tables = try XCTUnwrap(schema["tables"] as? [String: [[String: Any]]])
        for table in ["files", "chunks", "pages"] {
            let names = try XCTUnwrap(tables[table]).map { $0["name"] as! String }
            let types = try XCTUnwrap(tables[table]).map { $0["type"] as! String }
            let json = try rows(table, "z-lz4hc-dedupe-fragments")
            let csv = try CSVReader.rows(try String(contentsOfFile: "\(folder)/\(table)/z-lz4hc-dedupe-fragments.csv", encoding: .utf8))
            XCTAssertEqual(csv.first?.map { $0 ?? "" }, names, table)
            XCTAssertEqual(csv.count - 1, json.count, table)
            XCTAssertGreaterThan(json.count, 0, table)
            for (fields, object) in zip(csv.dropFirst(), json) {
                XCTAssertEqual(Array(object.keys).sorted(), names.sorted())
                for (k, (name, field)) in zip(names, fields).enumerated() {
                    let value = object[name]
                    let text: String? = value is NSNull ? nil : types[k] == "boolean" ? ((value as? Bool).map { $0 ? "true" : "false" })
                        : (value as? String) ?? (value as? NSNumber)?.stringValue
                    XCTAssertEqual(field, text, "\(table).\(name)")
                }
            }
        }
        let compressed = try rows("files", "z-lz4hc-dedupe-fragments").filter { $0["compressed"] as? Bool == true }
        XCTAssertFalse(compressed.isEmpty)
        XCTAssertTrue(compressed.allSatisfy { ($0["compression"] as? String)?.isEmpty == false })
        XCTAssertTrue(compressed.contains { $0["compression"] as? String == "lz4" })
        XCTAssertTrue(compressed.contains { $0["compression"] as? String == "raw" }, "a whole-file fragment names its extents' algorithm")
    }

    /// docs/export-schema.md documents every column of every table with its type.
    func testSchemaDocumentationListsEveryColumn() throws {
        XCTAssertEqual(try CLI.run(["export", "--out", folder, FixturePaths.images + "/plain.erofs", "--metadata-only"]).status, 0)
        let doc = try String(contentsOfFile: FixturePaths.repositoryRoot + "/docs/export-schema.md", encoding: .utf8)
        let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/schema.json"))) as? [String: Any])
        XCTAssertTrue(doc.contains("Schema version: \(schema["schema_version"]!)"))
        for (table, columns) in try XCTUnwrap(schema["tables"] as? [String: [[String: Any]]]) {
            let section = try XCTUnwrap(doc.components(separatedBy: "## `\(table)`").dropFirst().first, table).components(separatedBy: "\n## ").first!
            for column in columns {
                XCTAssertTrue(section.contains("| `\(column["name"]!)` | \(column["type"]!) |"), "\(table).\(column["name"]!) undocumented")
            }
        }
        // Metadata only: no data read, no pages.
        XCTAssertEqual(try rows("pages", "plain").count, 0)
        XCTAssertTrue(try rows("files", "plain").allSatisfy { $0["fingerprint_computed"] is NSNull })
    }

    /// report --per-file rows join with the export on (image, layer, path, nid).
    func testReportPerFileRowsCarryTheJoinKeys() throws {
        let base = FixturePaths.samples + "/layer-python.erofs", app = FixturePaths.samples + "/layer-requests-2.31.erofs"
        XCTAssertEqual(try CLI.run(["export", "--out", folder, "\(base)+\(app)"]).status, 0)
        let exported = Set(try rows("files", "layer-requests-2.31").map { "\($0["image"]!)|\($0["layer"]!)|\($0["path"]!)|\($0["nid"]!)" })
        let report = try XCTUnwrap(try CLI.json(["report", "\(base)+\(app)", "--per-file", "--json", "--policy", "none"]) as? [String: Any])
        let policy = try XCTUnwrap((report["policies"] as? [[String: Any]])?.first)
        let files = try XCTUnwrap((policy["containers"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])
        XCTAssertGreaterThan(files.count, 100)
        XCTAssertEqual(Set(files.map { $0["layer"] as! String }), ["layer-python.erofs", "layer-requests-2.31.erofs"])
        for file in files {
            XCTAssertTrue(exported.contains("\(file["image"]!)|\(file["layer"]!)|\(file["path"]!)|\(file["nid"]!)"), "\(file)")
        }
    }

    func testImageNamesBecomeFileNames() throws {
        let copy = NSTemporaryDirectory() + "erofs-top-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: FixturePaths.images + "/plain.erofs", toPath: copy + "/plain.erofs")
        let result = try CLI.run(["export", "--out", folder, FixturePaths.images + "/plain.erofs", copy + "/plain.erofs", "--metadata-only"])
        XCTAssertEqual(result.status, 0, "report names the second plain#2: \(result.stderr)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/files/plain_2.jsonl"))
        let bad = try CLI.run(["export", "--out", folder, FixturePaths.images + "/plain.erofs", "--format", "parquet"])
        XCTAssertEqual(bad.status, 64)
        // Two names that would share one file are refused before anything is written.
        let clash = try CLI.run(["export", "--out", folder + "/clash", FixturePaths.images + "/plain.erofs", FixturePaths.images + "/z-zstd.erofs",
                                 "--container", "a b=1", "--container", "a_b=2"])
        XCTAssertEqual(clash.status, 64, clash.stderr)
        XCTAssertTrue(clash.stderr.contains("a_b"), clash.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/clash"))
    }

    /// Image-parallel export writes the same files as one image at a time.
    func testParallelExportEqualsSerial() throws {
        let images = ["plain", "z-zstd", "chunk64k", "z-lz4hc-fragments"].map { FixturePaths.images + "/\($0).erofs" }
        XCTAssertEqual(try CLI.run(["export", "--out", folder + "/serial", "--jobs", "1"] + images).status, 0)
        let parallel = try CLI.run(["export", "--out", folder + "/parallel", "--jobs", "4"] + images)
        XCTAssertEqual(parallel.status, 0, parallel.stderr)
        XCTAssertTrue(parallel.text.contains("(4 jobs, schema 1)"), parallel.text)
        for table in ["files", "chunks", "pages"] {
            for name in ["plain", "z-zstd", "chunk64k", "z-lz4hc-fragments"] {
                for format in ["jsonl", "csv"] {
                    let a = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/serial/\(table)/\(name).\(format)"))
                    let b = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/parallel/\(table)/\(name).\(format)"))
                    XCTAssertEqual(a, b, "\(table)/\(name).\(format)")
                }
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/parallel/\(table)").filter { $0.hasPrefix(".") }
            XCTAssertEqual(leftovers, [], "no temporary files left")
        }
    }

    /// A broken image fails its own export (exit 1, named) without stopping the others.
    func testOneBadImageFailsAlone() throws {
        let bad = folder + "-bad.erofs"
        defer { try? FileManager.default.removeItem(atPath: bad) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: FixturePaths.images + "/plain.erofs")))
        bytes.replaceSubrange(1024..<1028, with: [0, 0, 0, 0])  // the superblock magic
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let result = try CLI.run(["export", "--out", folder, FixturePaths.images + "/z-zstd.erofs", bad])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("bad.erofs"), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/files/z-zstd.jsonl"), "the good image is exported")
    }

    private func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}

/// A small RFC 4180 reader for the tests: nil for an empty unquoted field.
enum CSVReader {
    static func rows(_ text: String) throws -> [[String?]] {
        var rows: [[String?]] = [], row: [String?] = [], field: [UInt8] = []
        var quoted = false, wasQuoted = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() { row.append(field.isEmpty && !wasQuoted ? nil : String(decoding: field, as: UTF8.self)); field = []; wasQuoted = false }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 1 } else { quoted = false }
                } else { field.append(b) }
            } else if b == UInt8(ascii: "\"") { quoted = true; wasQuoted = true
            } else if b == UInt8(ascii: ",") { endField()
            } else if b == 10 { endField(); rows.append(row); row = []
            } else { field.append(b) }
            i += 1
        }
        return rows
    }
}
