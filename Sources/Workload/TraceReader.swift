import Foundation

/// Reads a trace progressively: lines are read in chunks and parsed on demand, so huge
/// files never need to be in memory and a UI can replay while reading.
///
///     var reader = try TraceReader(url: url)
///     while case let batch = try reader.nextBatch(), !batch.isEmpty { replay(batch) }
///     show(reader.diagnostics)
public struct TraceReader {
    public private(set) var format: TraceFormat
    public let strict: Bool
    /// Diagnostics so far (all of them once `isAtEnd`, up to `TraceLimits.maxDiagnostics`;
    /// `summary` counts every one).
    public var diagnostics: [TraceDiagnostic] { sink.diagnostics }
    public var summary: TraceSummary { sink.summary }
    /// Trace metadata; the native header is known after the first batch.
    public var metadata: TraceMetadata { parser.metadata }
    public private(set) var isAtEnd = false

    private enum Source {
        case file(FileHandle)
        case memory
    }

    private var source: Source
    private var parser: any TraceParser
    private var sink = TraceSink()
    private var buf: [UInt8] = []
    private var pos = 0
    private var eof = false
    private var skippingLongLine = false
    private var lineNumber = 0
    static let chunkSize = 1 << 20

    /// Opens `url`. With `format == nil` the format is detected from the first lines.
    /// `strict` makes `nextBatch` throw `TraceError.malformedLine` at the first error
    /// diagnostic (warnings never throw).
    public init(url: URL, format: TraceFormat? = nil, strict: Bool = false) throws {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw TraceError.io("\(url.path): \(error.localizedDescription)") }
        source = .file(handle)
        self.strict = strict
        parser = NativeParser()
        self.format = .native
        try fill()
        let f = try format ?? detect()
        self.format = f
        parser = makeTraceParser(f)
    }

    /// Reads a trace held in memory.
    public init(data: Data, format: TraceFormat? = nil, strict: Bool = false) throws {
        source = .memory
        self.strict = strict
        buf = [UInt8](data)
        eof = true
        parser = NativeParser()
        self.format = .native
        let f = try format ?? detect()
        self.format = f
        parser = makeTraceParser(f)
    }

    public init(text: String, format: TraceFormat? = nil, strict: Bool = false) throws {
        try self.init(data: Data(text.utf8), format: format, strict: strict)
    }

    private func detect() throws -> TraceFormat {
        var lines: [Substring] = []
        var head = String(decoding: buf.prefix(64 * 1024), as: UTF8.self)
        if head.hasPrefix("\u{FEFF}") { head.removeFirst() }
        for l in head.split(separator: "\n", maxSplits: 64, omittingEmptySubsequences: true).prefix(64) { lines.append(l) }
        guard let f = TraceFormat.detect(firstLines: lines) else { throw TraceError.unknownFormat }
        return f
    }

    private mutating func fill() throws {
        guard case .file(let h) = source, !eof else { return }
        if pos > 0 {
            buf.removeSubrange(0..<pos)
            pos = 0
        }
        let data: Data?
        do { data = try h.read(upToCount: TraceReader.chunkSize) } catch { throw TraceError.io(error.localizedDescription) }
        if let data, !data.isEmpty {
            buf.append(contentsOf: data)
        } else {
            eof = true
            try? h.close()
        }
    }

    /// Parses lines until at least `maxEvents` events are ready or the input ends.
    /// Returns an empty array only at the end.
    public mutating func nextBatch(maxEvents: Int = 4096) throws -> [TraceEvent] {
        while sink.events.count < maxEvents && !isAtEnd {
            try step()
        }
        let out = sink.events
        sink.events.removeAll(keepingCapacity: true)
        return out
    }

    /// Reads everything that is left.
    public mutating func readAll() throws -> [TraceEvent] {
        var all: [TraceEvent] = []
        while !isAtEnd {
            try step()
            if sink.events.count >= 65536 {
                all.append(contentsOf: sink.events)
                sink.events.removeAll(keepingCapacity: true)
            }
        }
        all.append(contentsOf: sink.events)
        sink.events.removeAll()
        return all
    }

    /// Processes up to one chunk of lines.
    private mutating func step() throws {
        if lineNumber == 0, pos == 0, buf.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 } // UTF-8 BOM
        let errorsBefore = sink.summary.errors
        var lines = 0
        let snapshot = buf // no copy: buf is not mutated while the snapshot lives
        snapshot.withUnsafeBufferPointer { all in
            while lines < 4096 {
                guard pos < all.count else { break }
                let nl = findNewline(all, from: pos)
                if nl == nil && !eof {
                    if all.count - pos > TraceLimits.maxLineBytes && !skippingLongLine {
                        lineNumber += 1
                        reportLong(all, from: pos)
                        skippingLongLine = true
                        pos = all.count
                    } else if skippingLongLine {
                        pos = all.count
                    }
                    break
                }
                let end = nl ?? all.count
                if skippingLongLine {
                    skippingLongLine = false
                } else {
                    lineNumber += 1
                    if end - pos > TraceLimits.maxLineBytes {
                        reportLong(all, from: pos)
                    } else {
                        var e = end
                        if e > pos, all[e - 1] == 13 { e -= 1 }
                        parser.parse(bytes: UnsafeBufferPointer(rebasing: all[pos..<e]), number: lineNumber, into: &sink)
                    }
                    sink.summary.lines += 1
                }
                pos = end + 1
                lines += 1
                if strict, sink.summary.errors > errorsBefore { break }
            }
        }
        if strict, sink.summary.errors > errorsBefore, let d = sink.lastError {
            isAtEnd = true
            throw TraceError.malformedLine(line: d.line, reason: d.message)
        }
        if pos >= buf.count {
            if eof {
                if !isAtEnd {
                    parser.finish(into: &sink)
                    isAtEnd = true
                }
            } else {
                try fill()
            }
        } else if lines < 4096 {
            try fill()
        }
    }

    private mutating func reportLong(_ all: UnsafeBufferPointer<UInt8>, from: Int) {
        sink.error(lineNumber, "line longer than \(TraceLimits.maxLineBytes) bytes; skipped",
                   UnsafeBufferPointer(rebasing: all[from..<min(all.count, from + 120)]))
        sink.summary.lines += 1
    }

    @inline(__always) private func findNewline(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < p.count else { return nil }
        let base = p.baseAddress! + from
        guard let hit = memchr(base, 10, p.count - from) else { return nil }
        return from + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
    }
}

/// Parses a whole trace file. With `format == nil` the format is detected.
/// In `strict` mode the first malformed line throws `TraceError.malformedLine`; otherwise
/// malformed lines become diagnostics and are skipped.
public func parseTrace(contentsOf url: URL, format: TraceFormat? = nil, strict: Bool = false) throws -> ParsedTrace {
    var r = try TraceReader(url: url, format: format, strict: strict)
    return try r.finishParse()
}

/// Parses a trace held in a string (tests, pasted snippets).
public func parseTrace(text: String, format: TraceFormat? = nil, strict: Bool = false) throws -> ParsedTrace {
    var r = try TraceReader(text: text, format: format, strict: strict)
    return try r.finishParse()
}

extension TraceReader {
    mutating func finishParse() throws -> ParsedTrace {
        let events = try readAll()
        return ParsedTrace(format: format, events: events, diagnostics: diagnostics, metadata: metadata, summary: summary)
    }
}
