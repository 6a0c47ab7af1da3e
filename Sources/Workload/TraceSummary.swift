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
