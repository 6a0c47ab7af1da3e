import DeterministicRandom
import Foundation
import XCTest
@testable import Workload

final class TraceReaderTests: XCTestCase {
    func testDetect() {
        XCTAssertEqual(TraceFormat.detect(firstLines: ["", "{\"erofs_top_trace\":1}"]), .native)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["# comment", "{\"ev\":\"close\",\"fd\":1}"]), .native)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["# tracer: nop"]), .ftrace)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["  cat-1 [000] ..... 1.0: mm_filemap_fault: dev=8:1 ino=10 ofs=0"]), .ftrace)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["123 01:02:03.000004 openat(AT_FDCWD, \"/a\", O_RDONLY) = 3"]), .strace)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["1700000000.000001 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f"]), .strace)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["openat(AT_FDCWD, \"/a\", O_RDONLY) = 3"]), .strace)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["[pid  12] read(3, \"\", 1) = 0"]), .strace)
        XCTAssertEqual(TraceFormat.detect(firstLines: ["12 +++ exited with 0 +++"]), .strace)
        XCTAssertNil(TraceFormat.detect(firstLines: ["hello there", "\u{1}\u{2}"]))
        XCTAssertThrowsError(try parseTrace(text: "hello\nworld")) { XCTAssertEqual($0 as? TraceError, .unknownFormat) }
    }

    func testDetectsFixtureFormats() throws {
        XCTAssertEqual(try parseTrace(contentsOf: fixture("sample-native.jsonl")).format, .native)
        XCTAssertEqual(try parseTrace(contentsOf: fixture("strace-f-tt.log")).format, .strace)
        XCTAssertEqual(try parseTrace(contentsOf: fixture("ftrace-erofs-filemap.txt")).format, .ftrace)
    }

    func testNativeFixture() throws {
        let t = try parseTrace(contentsOf: fixture("sample-native.jsonl"))
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.metadata.containers, ["app", "sidecar"])
        XCTAssertGreaterThan(t.events.count, 5)
    }

    func testMissingFileThrowsIO() {
        XCTAssertThrowsError(try parseTrace(contentsOf: URL(fileURLWithPath: "/nonexistent/trace.jsonl"))) { e in
            guard case TraceError.io = e else { return XCTFail("\(e)") }
        }
    }

    func testCRLFAndBOMAndNoTrailingNewline() {
        let t = parse("\u{FEFF}{\"erofs_top_trace\":1}\r\n{\"ev\":\"close\",\"fd\":1}\r\n{\"ev\":\"close\",\"fd\":2}")
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [.close(handle: 1), .close(handle: 2)])
        XCTAssertEqual(t.metadata.version, 1)
    }

    func testBinaryJunkNeverCrashes() throws {
        var rng = SplitMix64(seed: 42)
        for format in TraceFormat.allCases {
            for _ in 0..<40 {
                var bytes = [UInt8]()
                for _ in 0..<Int(rng.next() % 400) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
                var r = try TraceReader(data: Data(bytes), format: format)
                _ = try r.readAll()
                // Every line is accounted for: an event, an ignored line or a diagnostic.
                let s = r.summary
                XCTAssertGreaterThanOrEqual(s.errors + s.warnings + s.ignoredLines + s.events, s.lines)
            }
            // Mutated valid lines: truncations at every position.
            let valid: String
            switch format {
            case .native: valid = "{\"t\":1.5,\"ev\":\"pread\",\"fd\":3,\"off\":64,\"len\":784}"
            case .strace: valid = "100 10:00:00.000004 pread64(3, \"\\177ELF\\\"x\", 832, 64) = 832"
            case .ftrace: valid = "  cat-1 [000] ..... 1.0: mm_filemap_map_pages: dev=8:1 ino=10 ofs=0-65535"
            }
            let u = Array(valid.utf8)
            for cut in 0..<u.count {
                var r = try TraceReader(data: Data(u[0..<cut]), format: format)
                _ = try r.readAll()
            }
        }
    }

    func testLongLineSkipped() throws {
        let long = String(repeating: "x", count: TraceLimits.maxLineBytes + 10)
        let text = "{\"ev\":\"close\",\"fd\":1}\n" + long + "\n{\"ev\":\"close\",\"fd\":2}\n"
        // Through a file, so the chunked reader sees the line span chunks.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wl-long-\(getpid()).jsonl")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try parseTrace(contentsOf: url)
        XCTAssertEqual(t.kinds, [.close(handle: 1), .close(handle: 2)])
        XCTAssertEqual(t.errors.map(\.line), [2])
        XCTAssertTrue(t.errors[0].message.contains("longer than"))
        XCTAssertEqual(t.events[1].line, 3)
        XCTAssertThrowsError(try parseTrace(contentsOf: url, strict: true)) { e in
            XCTAssertEqual(e as? TraceError, .malformedLine(line: 2, reason: t.errors[0].message))
        }
        // Same from memory, and a trailing over-long line without newline.
        let m = parse(text + long)
        XCTAssertEqual(m.errors.map(\.line), [2, 4])
    }

    func testStreamingAcrossChunksMatchesWholeParse() throws {
        // ~3 MiB of native lines crosses several 1 MiB chunk boundaries mid-line.
        var lines = ["{\"erofs_top_trace\":1,\"containers\":[\"a\"]}"]
        for i in 0..<60000 {
            lines.append("{\"t\":\(i),\"c\":\"a\",\"ev\":\"pread\",\"fd\":\(i % 7),\"off\":\(i * 4096),\"len\":4096,\"pad\":\"\(String(repeating: "p", count: i % 13))\"}")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wl-stream-\(getpid()).jsonl")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        var reader = try TraceReader(url: url)
        XCTAssertEqual(reader.format, .native)
        var streamed: [TraceEvent] = []
        var batches = 0
        while case let batch = try reader.nextBatch(maxEvents: 5000), !batch.isEmpty {
            XCTAssertLessThanOrEqual(batch.count, 5000 + 4096)
            streamed += batch
            batches += 1
        }
        XCTAssertTrue(reader.isAtEnd)
        XCTAssertGreaterThan(batches, 5)
        XCTAssertEqual(reader.metadata.containers, ["a"])
        XCTAssertEqual(reader.diagnostics, [])
        XCTAssertEqual(streamed.count, 60000)
        XCTAssertEqual(streamed.map(\.line), Array(2...60001))
        XCTAssertEqual(streamed.last?.kind, .pread(handle: 59999 % 7, offset: 59999 * 4096, length: 4096))
        let whole = parse(text)
        XCTAssertEqual(whole.events, streamed)
    }

    func testStrictThrowsFirstErrorOnly() {
        let text = "{\"ev\":\"close\",\"fd\":1}\n{\"ev\":\"read\",\"fd\":1,\"len\":4611686018427387904}\nbad\nworse"
        XCTAssertThrowsError(try parseTrace(text: text, strict: true)) { e in
            XCTAssertEqual(e as? TraceError, .malformedLine(line: 3, reason: "not a JSON object"))
        }
        let lenient = parse(text)
        XCTAssertEqual(lenient.errors.map(\.line), [3, 4])
        XCTAssertEqual(lenient.warnings.map(\.line), [2])
        XCTAssertEqual(lenient.summary.errors, 2)
        XCTAssertEqual(lenient.summary.warnings, 1)
        XCTAssertEqual(lenient.summary.diagnostics, 3)
    }

    func testDiagnosticExcerptIsSanitisedAndShort() {
        let t = parse("{\"ev\":\"close\",\"fd\":1}\n\u{1b}[31m" + String(repeating: "z", count: 500))
        let d = t.errors[0]
        XCTAssertFalse(d.excerpt.contains("\u{1b}"))
        XCTAssertLessThanOrEqual(d.excerpt.utf8.count, 120)
    }

    func testExplicitFormatOverridesDetection() {
        let t = parse("{\"ev\":\"close\",\"fd\":1}", .strace)
        XCTAssertEqual(t.format, .strace)
        XCTAssertEqual(t.errors.count, 1)
    }
}

