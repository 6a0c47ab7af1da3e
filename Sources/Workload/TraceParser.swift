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
