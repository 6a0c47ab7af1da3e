import EROFS
import JSONOutput
import Foundation
import XCTest
@testable import Inspector

/// `ListingWriter` writes `ls -l` lines and `ls --json` entries by hand; they must stay byte for
/// byte what the formatter-based code wrote before (kept here as the reference).
final class ListingWriterTests: XCTestCase {
    /// The JSON `type` written from static text is the type's name for every file type.
    func testJSONTypeNamesAreTheRawValues() {
        for type in FileType.allCases {
            let name = type.jsonName
            XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), as: UTF8.self), type.rawValue)
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/images").standardizedFileURL

    /// The `ls -l` line as it was built with a DateFormatter per line.
    func referenceLine(name: String, inode: Inode, image: Image, layer: String? = nil) -> String {
        func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var size = String(inode.size)
        if inode.type == .characterDevice || inode.type == .blockDevice { size = "\(inode.rdev.major), \(inode.rdev.minor)" }
        let date = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(inode.mtime)))
        var line = "\(modeString(inode)) \(pad(String(inode.nlink), 3)) \(pad(String(inode.uid), 6)) \(pad(String(inode.gid), 6)) \(pad(size, 10)) \(date) \(layer.map { $0 + " " } ?? "")\(name)"
        if inode.type == .symlink, let target = try? image.symlinkTarget(inode) { line += " -> \(target)" }
        return line
    }

    func testDatesMatchTheFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var samples: [UInt64] = [0, 59, 60, 3599, 3600, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 4_107_542_400,
                                 ListingWriter.handFormattedLimit - 1, ListingWriter.handFormattedLimit, 1 << 40]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 { samples.append(UInt64.random(in: 0..<ListingWriter.handFormattedLimit, using: &rng)) }
        for _ in 0..<500 { samples.append(UInt64.random(in: 0..<4_200_000_000, using: &rng)) }
        for seconds in samples {
            var out: [UInt8] = []
            ListingWriter.appendDate(seconds, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))), "at \(seconds)")
        }
    }

    func testStringsAreEscapedAsJSONValueEscapesThem() {
        for s in ["plain", "", "quote\"back\\slash", "tab\there\nnew\rret", "\u{01}\u{1f}\u{7f}", "ünï©ødé 名前", "\u{0}", "a\"\"b"] {
            var out: [UInt8] = []
            ListingWriter.appendString(s, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), JSONValue.string(s).serialized())
        }
        for n: UInt64 in [0, 9, 10, 99, 100, 12345, UInt64(UInt32.max), UInt64.max] {
            var out: [UInt8] = []
            ListingWriter.appendDecimal(n, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(n))
        }
    }

    /// Every entry of every fixture image: lines and JSON as before.
    func testEveryFixtureEntryMatchesTheReference() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).filter { $0.hasSuffix(".erofs") }.sorted()
        XCTAssertGreaterThan(names.count, 10)
        var entries = 0
        var types: Set<String> = []
        for name in names {
            guard let image = try? Image(path: Self.fixtures.appendingPathComponent(name).path) else { continue }
            try? image.walk { event in
                guard case .entry(let path, let inode) = event else { return }
                let leaf = lastPathComponent(path)
                var line: [UInt8] = []
                ListingWriter.appendLine(name: path, inode: inode, image: image, layer: entries % 2 == 0 ? "layer1" : nil, to: &line)
                XCTAssertEqual(String(decoding: line, as: UTF8.self), referenceLine(name: path, inode: inode, image: image, layer: entries % 2 == 0 ? "layer1" : nil), "\(name):\(path)")
                var json: [UInt8] = []
                ListingWriter.appendJSON(path: path, name: leaf, inode: inode, image: image, to: &json)
                XCTAssertEqual(String(decoding: json, as: UTF8.self), InodeJSON.listing(path: path, name: leaf, inode: inode, image: image).serialized(), "\(name):\(path)")
                var named: [UInt8] = []
                ListingWriter.appendJSON(path: path, inode: inode, image: image, to: &named)
                XCTAssertEqual(named, json, "\(name):\(path): the name taken from the path's bytes")
                entries += 1
                types.insert(inode.type.rawValue)
            }
        }
        XCTAssertGreaterThan(entries, 500)
        XCTAssertTrue(types.isSuperset(of: ["file", "dir", "symlink"]), "\(types)")
    }

    /// The name `appendJSON(path:...)` takes from the path's bytes is `lastPathComponent`'s,
    /// escaped the same way, for odd paths too.
    func testNameFromPathBytesMatchesLastPathComponent() throws {
        let image = try Image(path: Self.fixtures.appendingPathComponent("plain.erofs").path)
        let inode = try image.resolve("/", followFinalSymlink: true)
        for path in ["/", "/a", "a", "/dir/", "/d/\"q\"\\", "/tab\there/n\u{1}", "/ünï/名前", "/a//b", "x/"] {
            var expected: [UInt8] = [], got: [UInt8] = []
            ListingWriter.appendJSON(path: path, name: lastPathComponent(path), inode: inode, image: image, to: &expected)
            ListingWriter.appendJSON(path: path, inode: inode, image: image, to: &got)
            XCTAssertEqual(String(decoding: got, as: UTF8.self), String(decoding: expected, as: UTF8.self), path)
            XCTAssertEqual(String(decoding: got, as: UTF8.self), InodeJSON.listing(path: path, name: lastPathComponent(path), inode: inode, image: image).serialized(), path)
        }
    }

    /// Dates written through the one-minute cache are those written without it, in runs of the
    /// same minute, neighbouring minutes, other years and past the hand-formatted range.
    func testDateCacheWritesWhatTheCalendarWrites() {
        var samples: [UInt64] = [0, 1, 59, 60, 61, 0, 1_709_164_800, 1_709_164_859, 1_709_164_860, 1_709_164_800,
                                 ListingWriter.handFormattedLimit - 1, ListingWriter.handFormattedLimit, ListingWriter.handFormattedLimit + 1, 1 << 40, 5]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let base = UInt64.random(in: 0..<4_200_000_000, using: &rng)
            for _ in 0..<Int.random(in: 1...4, using: &rng) { samples.append(base + UInt64.random(in: 0..<90, using: &rng)) }
        }
        var cache = ListingWriter.DateCache()
        var cached: [UInt8] = [], plain: [UInt8] = []
        for seconds in samples {
            cached.removeAll(keepingCapacity: true)
            plain.removeAll(keepingCapacity: true)
            ListingWriter.appendDate(seconds, cache: &cache, to: &cached)
            ListingWriter.appendDate(seconds, to: &plain)
            XCTAssertEqual(String(decoding: cached, as: UTF8.self), String(decoding: plain, as: UTF8.self), "at \(seconds)")
        }
    }
}
