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
