import Foundation
import XCTest
@testable import Workload

/// Fixtures live next to the tests (excluded from the target in Package.swift).
func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
}

func parse(_ text: String, _ format: TraceFormat? = nil, strict: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> ParsedTrace {
    do {
        return try parseTrace(text: text, format: format, strict: strict)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return ParsedTrace(format: .native, events: [], diagnostics: [], metadata: TraceMetadata(), summary: TraceSummary())
    }
}

extension ParsedTrace {
    var errors: [TraceDiagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [TraceDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    var kinds: [TraceEvent.Kind] { events.map(\.kind) }
}

/// Asserts that `text` parsed in `format` yields exactly one error diagnostic, on `line`,
/// whose message contains `contains`, and no events from that line; and that strict mode
/// throws for the same line.
func assertMalformed(_ text: String, _ format: TraceFormat, line: Int, contains: String,
                     file: StaticString = #filePath, callLine: UInt = #line) {
    let t = parse(text, format, file: file, line: callLine)
    XCTAssertEqual(t.errors.count, 1, "diagnostics: \(t.diagnostics)", file: file, line: callLine)
    XCTAssertEqual(t.errors.first?.line, line, file: file, line: callLine)
    XCTAssertTrue(t.errors.first?.message.contains(contains) ?? false, "message: \(t.errors.first?.message ?? "none")", file: file, line: callLine)
    XCTAssertFalse(t.events.contains { $0.line == line }, "malformed line produced an event", file: file, line: callLine)
    XCTAssertThrowsError(try parseTrace(text: text, format: format, strict: true), file: file, line: callLine) { e in
        guard case TraceError.malformedLine(let l, _) = e else { return XCTFail("wrong error \(e)", file: file, line: callLine) }
        XCTAssertEqual(l, line, file: file, line: callLine)
    }
}
