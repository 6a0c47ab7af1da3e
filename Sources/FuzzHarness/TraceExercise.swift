import Foundation
import Workload

/// Drives the trace parsers over one untrusted input.
///
/// The first byte of a fuzz input picks the format (`byte % 4`: auto-detect, native, strace,
/// ftrace) and bit 2 picks strict mode; the rest is the trace. Every failure must be a
/// `TraceError`; anything else is rethrown for the fuzzer to report.
public enum TraceExercise {
    /// What happened to one trace.
    public enum Outcome: Equatable, Sendable {
        /// Parsed (non-strict parsing reports bad lines as diagnostics).
        case parsed(events: Int, diagnostics: Int)
        /// Rejected with a typed error.
        case failed(TraceError)
    }

    /// The format a fuzz input's first byte selects (`nil`: detect).
    public static func format(selector: UInt8) -> TraceFormat? {
        switch selector % 4 {
        case 1: return .native
        case 2: return .strace
        case 3: return .ftrace
        default: return nil
        }
    }

    /// Splits a fuzz input into its selector and trace bytes and parses them.
    public static func run(fuzzInput bytes: UnsafeRawBufferPointer) throws -> Outcome {
        guard let selector = bytes.first else { return .parsed(events: 0, diagnostics: 0) }
        let body = Data(bytes: bytes.baseAddress! + 1, count: bytes.count - 1)
        return try run(body, format: format(selector: selector), strict: selector & 4 != 0)
    }

    /// Parses `data` in batches, as the replay engine does, touching every event.
    public static func run(_ data: Data, format: TraceFormat?, strict: Bool) throws -> Outcome {
        do {
            var reader = try TraceReader(data: data, format: format, strict: strict)
            var events = 0
            while true {
                let batch = try reader.nextBatch(maxEvents: 512)
                if batch.isEmpty { break }
                events += batch.count
            }
            _ = reader.summary
            _ = reader.metadata
            return .parsed(events: events, diagnostics: reader.diagnostics.count)
        } catch let error as TraceError {
            return .failed(error)
        }
    }
}
