/// Collects what parsers produce. Parsers append; drivers drain.
public struct TraceSink: Sendable {
    public var events: [TraceEvent] = []
    public var diagnostics: [TraceDiagnostic] = []
    public var summary = TraceSummary()

    public init() {}

    mutating func emit(_ e: TraceEvent) {
        summary.count(e)
        events.append(e)
    }

    /// The most recent error, kept even when `diagnostics` is full (strict mode reports it).
    public var lastError: TraceDiagnostic?

    mutating func error(_ line: Int, _ message: String, _ bytes: UnsafeBufferPointer<UInt8>) {
        summary.errors += 1
        let diagnostic = TraceDiagnostic(line: line, severity: .error, message: message, excerpt: TraceDiagnostic.makeExcerpt(bytes))
        lastError = diagnostic
        keep(diagnostic)
    }

    mutating func warning(_ line: Int, _ message: String, _ bytes: UnsafeBufferPointer<UInt8>) {
        summary.warnings += 1
        keep(TraceDiagnostic(line: line, severity: .warning, message: message, excerpt: TraceDiagnostic.makeExcerpt(bytes)))
    }

    /// Keeps the first `TraceLimits.maxDiagnostics` diagnostics; the summary counts them all.
    private mutating func keep(_ diagnostic: TraceDiagnostic) {
        if diagnostics.count < TraceLimits.maxDiagnostics { diagnostics.append(diagnostic) }
    }

    mutating func ignored() { summary.ignoredLines += 1 }

    /// A well-formed system call the parser does not model.
    mutating func unhandled(_ name: String) {
        summary.ignoredLines += 1
        summary.unhandledCalls[name, default: 0] += 1
    }
}
