import CLZMA

/// MicroLZMA decoder over liblzma's `lzma_microlzma_decoder` (EROFS algorithm 1).
///
/// liblzma's MicroLZMA format is exactly EROFS's payload (byte 0 = bitwise NOT of the lc/lp/pb
/// properties byte, then the range-coder data without its leading 0x00), so after skipping zero
/// padding the payload is passed as is, with its exact size. In exact mode liblzma also requires
/// the whole compressed input to be consumed.
///
/// Memory: liblzma allocates the dictionary up front, so it gets the output size rounded up to a
/// power of two (at least 4 KiB, at most `dictSize`); streams are pooled and reused. That is enough because a pcluster's stream is self-contained: no match can
/// reach further back than the bytes decoded so far.
public struct MicroLZMADecompressor: Decompressor {
    public var algorithm: CompressionAlgorithm { .lzma }
    /// Dictionary size from the LZMA config record (clamped to 8 MiB).
    public var dictSize: UInt32
    /// How far zero padding is searched for.
    public var paddingScanLimit: Int

    public init(dictSize: UInt32 = LZMAConfig.defaultDictSize, paddingScanLimit: Int = DecompressionLimits.defaultPaddingScanLimit) {
        self.dictSize = min(dictSize, LZMAConfig.maxDictSize)
        self.paddingScanLimit = paddingScanLimit
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, partial: Bool) throws -> Int {
        guard let payload = try prepareInput(.lzma, input, outputCount: output.count, partial: partial,
                                             stripPadding: true, paddingScanLimit: paddingScanLimit) else { return 0 }
        // The dictionary is the output size rounded up to a power of two, so that a pooled stream
        // keeps its dictionary for the next pcluster of a similar size (liblzma reallocates it
        // only when the size changes).
        var dict: UInt32 = 4096
        while dict < min(dictSize, UInt32(output.count)) { dict <<= 1 }
        dict = min(dict, max(4096, dictSize))

        let outcome = Self.streams.withContext { context -> (ret: lzma_ret, produced: Int, inputLeft: Int) in
            let strm = UnsafeMutablePointer<lzma_stream>(context)
            let initRet = lzma_microlzma_decoder(strm, UInt64(payload.count), UInt64(output.count), partial ? 0 : 1, dict)
            guard initRet == LZMA_OK else { return (initRet, -1, 0) }
            strm.pointee.next_in = payload.baseAddress!.assumingMemoryBound(to: UInt8.self)
            strm.pointee.avail_in = payload.count
            strm.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            strm.pointee.avail_out = output.count
            // One call normally finishes. liblzma returns LZMA_BUF_ERROR after two calls without progress,
            // so this loop ends; the counter is only a belt-and-braces guard.
            var ret = LZMA_OK
            var calls = 0
            while ret == LZMA_OK && calls < 64 {
                ret = lzma_code(strm, LZMA_FINISH)
                calls += 1
            }
            let result = (ret, Int(strm.pointee.total_out), strm.pointee.avail_in)
            // A stream that failed is ended, so the next call starts from nothing.
            if ret != LZMA_STREAM_END { lzma_end(strm) }
            strm.pointee.next_in = nil
            strm.pointee.next_out = nil
            return result
        }
        guard let outcome else { throw DecompressionError.libraryFailure(.lzma, detail: "out of memory for a decoder") }
        let ret = outcome.ret, produced = outcome.produced
        if produced < 0 {
            throw DecompressionError.libraryFailure(.lzma, detail: "lzma_microlzma_decoder: \(Self.describe(ret))")
        }
        switch ret {
        case LZMA_STREAM_END:
            if produced != output.count {
                throw DecompressionError.outputSizeMismatch(.lzma, expected: output.count, got: produced)
            }
            return produced
        case LZMA_OK, LZMA_BUF_ERROR:
            // No end marker in MicroLZMA: running out of input before the wanted size means the stream is
            // shorter than wanted (or truncated, which cannot be told apart).
            if outcome.inputLeft == 0 && produced < output.count {
                throw DecompressionError.outputSizeMismatch(.lzma, expected: output.count, got: produced)
            }
            throw DecompressionError.corrupt(.lzma, detail: "\(Self.describe(ret)) after \(produced) bytes")
        case LZMA_MEM_ERROR, LZMA_MEMLIMIT_ERROR, LZMA_PROG_ERROR:
            throw DecompressionError.libraryFailure(.lzma, detail: Self.describe(ret))
        default:
            throw DecompressionError.corrupt(.lzma, detail: "\(Self.describe(ret)) after \(produced) bytes")
        }
    }

    /// Decoder streams, reused across calls so that liblzma keeps its allocations.
    static let streams = ContextPool(make: {
        let strm = UnsafeMutablePointer<lzma_stream>.allocate(capacity: 1)
        strm.initialize(to: lzma_stream())
        return OpaquePointer(strm)
    }, free: { context in
        let strm = UnsafeMutablePointer<lzma_stream>(context)
        lzma_end(strm)
        strm.deallocate()
    })

    static func describe(_ r: lzma_ret) -> String {
        switch r {
        case LZMA_OK: return "LZMA_OK"
        case LZMA_STREAM_END: return "LZMA_STREAM_END"
        case LZMA_MEM_ERROR: return "LZMA_MEM_ERROR"
        case LZMA_MEMLIMIT_ERROR: return "LZMA_MEMLIMIT_ERROR"
        case LZMA_OPTIONS_ERROR: return "LZMA_OPTIONS_ERROR (bad properties byte)"
        case LZMA_DATA_ERROR: return "LZMA_DATA_ERROR"
        case LZMA_BUF_ERROR: return "LZMA_BUF_ERROR (truncated)"
        case LZMA_PROG_ERROR: return "LZMA_PROG_ERROR"
        default: return "lzma_ret \(r.rawValue)"
        }
    }
}
