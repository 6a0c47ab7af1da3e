import Foundation
import FuzzHarness
import Workload
import XCTest

/// Traces that claim absurd sizes, and traces made of junk: parsing stays fast, memory stays
/// bounded, and the diagnostics name the limit that was applied.
final class TraceResourceBoundsTests: XCTestCase {
    /// Lines per generated trace.
    static let lines = 50_000

    /// Parses `text` progressively (events drained per batch, as the replay does), returning the
    /// reader at its end, the time taken and the growth of the peak RSS.
    func parse(_ text: String, format: TraceFormat) throws -> (TraceReader, TimeInterval, Int) {
        let rss = maxResidentBytes()
        let start = Date()
        var reader = try TraceReader(data: Data(text.utf8), format: format)
        while try !reader.nextBatch(maxEvents: 4096).isEmpty {}
        return (reader, Date().timeIntervalSince(start), maxResidentBytes() - rss)
    }

    func testNativeTraceClaimingPetabytesIsClampedToTheLengthLimit() throws {
        var text = #"{"erofs_top_trace": 1, "containers": ["app"]}"# + "\n"
        text += #"{"t": 0, "c": "app", "ev": "open", "path": "/big", "fd": 3}"# + "\n"
        for i in 0..<Self.lines {
            text += #"{"t": \#(i), "c": "app", "ev": "pread", "fd": 3, "off": \#(UInt64(i) << 40), "len": 4000000000000000}"# + "\n"
        }
        let (reader, seconds, grown) = try parse(text, format: .native)
        XCTAssertEqual(reader.summary.events, Self.lines + 1)
        XCTAssertEqual(reader.summary.warnings, Self.lines)
        XCTAssertTrue(reader.diagnostics.first?.message.contains("1 TiB limit") ?? false, "\(reader.diagnostics.first as Any)")
        XCTAssertLessThan(seconds, 20)
        XCTAssertLessThan(grown, 256 << 20, "parsing grew the process by \(grown >> 20) MiB")
    }

    func testStraceClaimingBillionsOfBytesIsClamped() throws {
        var text = #"100 openat(AT_FDCWD, "/big", O_RDONLY) = 3"# + "\n"
        for _ in 0..<Self.lines {
            text += #"100 pread64(3, "", 9000000000000000, 4096) = 9000000000000000"# + "\n"
        }
        let (reader, seconds, grown) = try parse(text, format: .strace)
        XCTAssertGreaterThan(reader.summary.diagnostics, 0)
        XCTAssertTrue(reader.diagnostics.contains { $0.message.contains("limit") }, "\(reader.diagnostics.prefix(3))")
        XCTAssertLessThan(seconds, 20)
        XCTAssertLessThan(grown, 256 << 20)
    }

    func testFtraceWithHugeFolioOrdersAndOffsetsIsRejectedPerLine() throws {
        var text = "# tracer: nop\n"
        for i in 0..<Self.lines {
            let order = i % 2 == 0 ? "order=63" : "order=20"
            text += "cat-1 [001] ..... 1.\(i): mm_filemap_add_to_page_cache: dev 7:0 ino 29 pfn=0x1 ofs=9223372036854775807 \(order)\n"
        }
        let (reader, seconds, grown) = try parse(text, format: .ftrace)
        XCTAssertEqual(reader.summary.events + reader.summary.errors + reader.summary.ignoredLines, Self.lines + 1)
        XCTAssertGreaterThan(reader.summary.errors, 0)
        XCTAssertLessThan(seconds, 20)
        XCTAssertLessThan(grown, 256 << 20)
    }

    /// A trace of nothing but malformed lines: every line is counted, but only the first
    /// `TraceLimits.maxDiagnostics` diagnostics are kept, so memory does not grow with the file.
    func testJunkLinesKeepABoundedNumberOfDiagnostics() throws {
        let junk = String(repeating: "x", count: 100)
        var text = #"{"erofs_top_trace": 1}"# + "\n"
        for i in 0..<(Self.lines * 4) { text += "{\(junk) \(i)\n" }
        let (reader, seconds, grown) = try parse(text, format: .native)
        XCTAssertEqual(reader.summary.errors, Self.lines * 4)
        XCTAssertLessThanOrEqual(reader.diagnostics.count, 10_000, "diagnostics kept without bound")
        XCTAssertLessThan(seconds, 30)
        XCTAssertLessThan(grown, 256 << 20)
    }

    /// Strict mode still stops at the first error after many warnings have been reported.
    func testStrictModeStopsAtAnErrorAfterManyWarnings() throws {
        var text = #"{"erofs_top_trace": 1, "containers": ["app"]}"# + "\n"
        for i in 0..<12_000 {
            text += #"{"t": \#(i), "c": "app", "ev": "pread", "fd": 3, "off": 0, "len": 4000000000000000}"# + "\n"
        }
        text += "{junk\n"
        var reader = try TraceReader(data: Data(text.utf8), format: .native, strict: true)
        XCTAssertThrowsError(try reader.readAll()) { error in
            guard case TraceError.malformedLine(let line, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 12_002)
        }
    }
}

/// The process's peak resident set size in bytes (getrusage).
func maxResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
