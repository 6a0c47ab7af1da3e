import CLZMA

/// MicroLZMA decoder over liblzma's `lzma_microlzma_decoder` (EROFS algorithm 1).
///
/// liblzma's MicroLZMA format is exactly EROFS's payload (byte 0 = bitwise NOT of the lc/lp/pb
/// properties byte, then the range-coder data without its leading 0x00), so after skipping zero
/// padding the payload is passed as is, with its exact size. In exact mode liblzma also requires
/// the whole compressed input to be consumed.
///
/// Memory: liblzma allocates the dictionary up front, so it gets `min(dictSize, output size)`
/// (at least 4 KiB). That is enough because a pcluster's stream is self-contained: no match can
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
        let dict = max(4096, min(dictSize, UInt32(output.count)))

        var strm = lzma_stream()
        defer { lzma_end(&strm) }
        let initRet = lzma_microlzma_decoder(&strm, UInt64(payload.count), UInt64(output.count),
                                             partial ? 0 : 1, dict)
        guard initRet == LZMA_OK else {
            throw DecompressionError.libraryFailure(.lzma, detail: "lzma_microlzma_decoder: \(Self.describe(initRet))")
        }
        strm.next_in = payload.baseAddress!.assumingMemoryBound(to: UInt8.self)
        strm.avail_in = payload.count
        strm.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        strm.avail_out = output.count

        // One call normally finishes. liblzma returns LZMA_BUF_ERROR after two calls without progress,
        // so this loop ends; the counter is only a belt-and-braces guard.
        var ret = LZMA_OK
        var calls = 0
        while ret == LZMA_OK && calls < 64 {
            ret = lzma_code(&strm, LZMA_FINISH)
            calls += 1
        }
        let produced = Int(strm.total_out)
        switch ret {
        case LZMA_STREAM_END:
            if produced != output.count {
                throw DecompressionError.outputSizeMismatch(.lzma, expected: output.count, got: produced)
            }
            return produced
        case LZMA_OK, LZMA_BUF_ERROR:
            // No end marker in MicroLZMA: running out of input before the wanted size means the stream is
            // shorter than wanted (or truncated, which cannot be told apart).
            if strm.avail_in == 0 && produced < output.count {
                throw DecompressionError.outputSizeMismatch(.lzma, expected: output.count, got: produced)
            }
            throw DecompressionError.corrupt(.lzma, detail: "\(Self.describe(ret)) after \(produced) bytes")
        case LZMA_MEM_ERROR, LZMA_MEMLIMIT_ERROR, LZMA_PROG_ERROR:
            throw DecompressionError.libraryFailure(.lzma, detail: Self.describe(ret))
        default:
            throw DecompressionError.corrupt(.lzma, detail: "\(Self.describe(ret)) after \(produced) bytes")
        }
    }

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
