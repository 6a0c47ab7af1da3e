public enum TraceFormat: String, Sendable, CaseIterable {
    /// erofs-top JSON Lines (see NATIVE-FORMAT.md).
    case native
    /// `strace [-f] [-t|-tt|-ttt] [-T] [-y] -e trace=openat,read,pread64,mmap,close -o LOG`.
    case strace
    /// ftrace text (`trace`, `trace_pipe`, `trace-cmd report`, `perf script`) with
    /// `filemap:mm_filemap_*` events.
    case ftrace

    /// Guesses the format from the first lines of a file (blank and `#` lines are skipped,
    /// except that an ftrace `# tracer:` banner decides for ftrace). `nil` if nothing matches.
    public static func detect<S: StringProtocol>(firstLines: [S]) -> TraceFormat? {
        for raw in firstLines.prefix(64) {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty { continue }
            if line.hasPrefix("# tracer:") { return .ftrace }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("{") { return .native }
            let bytes = Array(line.utf8)
            if bytes.withUnsafeBufferPointer({ FtraceParser.looksLikeFtrace($0) }) { return .ftrace }
            if bytes.withUnsafeBufferPointer({ StraceParser.looksLikeStrace($0) }) { return .strace }
        }
        return nil
    }
}

public enum DiagnosticSeverity: String, Sendable {
    /// The line was skipped. `strict` parsing throws on these.
    case error
    /// The line produced an event, adjusted as described (e.g. a clamped length).
    case warning
}

public struct TraceDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var severity: DiagnosticSeverity
    public var message: String
    /// The start of the offending line, control characters replaced, at most 120 bytes.
    public var excerpt: String

    public init(line: Int, severity: DiagnosticSeverity = .error, message: String, excerpt: String = "") {
        self.line = line
        self.severity = severity
        self.message = message
        self.excerpt = excerpt
    }

    public var description: String { "line \(line): \(severity.rawValue): \(message) [\(excerpt)]" }

    static func makeExcerpt(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(min(bytes.count, 120))
        for b in bytes.prefix(120) { out.append(b < 0x20 || b == 0x7f ? UInt8(ascii: "?") : b) }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum TraceError: Error, Equatable, CustomStringConvertible {
    case malformedLine(line: Int, reason: String)
    case unknownFormat
    case io(String)

    public var description: String {
        switch self {
        case .malformedLine(let line, let reason): return "malformed line \(line): \(reason)"
        case .unknownFormat: return "could not recognise the trace format"
        case .io(let s): return "I/O error: \(s)"
        }
    }
}

public enum CacheState: Sendable, Equatable {
    case cold, warm
    case other(String)

    init(_ s: String) {
        switch s {
        case "cold": self = .cold
        case "warm": self = .warm
        default: self = .other(s)
        }
    }
}

/// Facts about the whole trace (native header; strace/ftrace fill what they can).
public struct TraceMetadata: Sendable, Equatable {
    /// Native format version from the header (`erofs_top_trace`).
    public var version: Int?
    public var readaheadKB: Int?
    public var containers: [String] = []
    /// Device (`"major:minor"`) to container name.
    public var devices: [String: String] = [:]
    public var cache: CacheState?
    /// Devices seen in page-level events (ftrace), sorted.
    public var devicesSeen: [String] = []
    /// Header fields this version does not interpret, as raw JSON text.
    public var extra: [String: String] = [:]

    public init() {}
}

public struct TraceSummary: Sendable, Equatable {
    public var lines = 0
    public var events = 0
    /// Events per kind (kinds with none are absent).
    public var eventsByKind: [EventKindName: Int] {
        get {
            var out: [EventKindName: Int] = [:]
            for (i, n) in kindCounts.enumerated() where n != 0 { out[EventKindName.allCases[i]] = n }
            return out
        }
        set {
            kindCounts = Array(repeating: 0, count: EventKindName.allCases.count)
            for (kind, n) in newValue { kindCounts[kind.ordinal] = n }
        }
    }
    /// Counts by `EventKindName.ordinal`: counted once per event, so no hashing.
    private var kindCounts = Array(repeating: 0, count: EventKindName.allCases.count)
    public var errors = 0
    public var warnings = 0
    /// Well-formed lines that carry nothing to replay (comments, other syscalls or
    /// tracepoints, failed calls, signals, exits, unfinished halves).
    public var ignoredLines = 0
    /// strace: lines of system calls the parser does not model, by name (also in `ignoredLines`).
    public var unhandledCalls: [String: Int] = [:]

    public init() {}

    public var diagnostics: Int { errors + warnings }

    mutating func count(_ e: TraceEvent) {
        events += 1
        kindCounts[e.kind.name.ordinal] += 1
    }
}

public struct ParsedTrace: Sendable {
    public var format: TraceFormat
    public var events: [TraceEvent]
    public var diagnostics: [TraceDiagnostic]
    public var metadata: TraceMetadata
    public var summary: TraceSummary
}

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

/// A line-at-a-time parser. Feed lines in order (without the line terminator), then call
/// `finish` once at the end of input.
public protocol TraceParser {
    var format: TraceFormat { get }
    var metadata: TraceMetadata { get }
    /// Parses one line, appending events and diagnostics to `sink`.
    mutating func parse(bytes: UnsafeBufferPointer<UInt8>, number: Int, into sink: inout TraceSink)
    /// Flushes state held across lines (e.g. strace calls left unfinished).
    mutating func finish(into sink: inout TraceSink)
}

public struct LineResult: Sendable {
    public var events: [TraceEvent]
    public var diagnostics: [TraceDiagnostic]
}

extension TraceParser {
    /// Convenience for callers holding text: parses one line.
    public mutating func parse(line: Substring, number: Int) -> LineResult {
        var sink = TraceSink()
        let done: Void? = line.utf8.withContiguousStorageIfAvailable { parse(bytes: $0, number: number, into: &sink) }
        if done == nil {
            let copy = Array(line.utf8)
            copy.withUnsafeBufferPointer { parse(bytes: $0, number: number, into: &sink) }
        }
        return LineResult(events: sink.events, diagnostics: sink.diagnostics)
    }

    public mutating func parse(line: String, number: Int) -> LineResult {
        parse(line: Substring(line), number: number)
    }
}

/// Makes the parser for a format.
public func makeTraceParser(_ format: TraceFormat) -> any TraceParser {
    switch format {
    case .native: return NativeParser()
    case .strace: return StraceParser()
    case .ftrace: return FtraceParser()
    }
}
