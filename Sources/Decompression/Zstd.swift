import CZstd

/// ZSTD frame decoder over libzstd (EROFS algorithm 3).
///
/// Decoding contexts come from a pool shared by all calls (one per concurrent call).
///
/// - Exact mode: one-shot `ZSTD_decompressDCtx` straight into the output buffer (no window buffer is
///   allocated). A frame that would produce more than the buffer fails with `dstSize_tooSmall` as soon
///   as a block does not fit, reported as `.outputOverflow`. Bytes after the frame are an error, as in
///   erofs-utils (they would have to be another valid frame).
/// - Partial mode: streaming `ZSTD_decompressStream`, stopping when the buffer is full. The window
///   buffer is bounded by `ZSTD_d_windowLogMax` = the config's windowLog (≤ 20, i.e. 1 MiB, the EROFS
///   limit), so a frame header claiming a huge window is refused rather than allocated.
public struct ZstdDecompressor: Decompressor {
    public var algorithm: CompressionAlgorithm { .zstd }
    /// Largest accepted frame window, log2 (from the config record; 10…27).
    public var windowLogMax: Int
    /// How far zero padding is searched for.
    public var paddingScanLimit: Int

    public init(windowLogMax: Int = ZstdConfig.defaultWindowLog, paddingScanLimit: Int = DecompressionLimits.defaultPaddingScanLimit) {
        self.windowLogMax = min(max(windowLogMax, 10), 27)
        self.paddingScanLimit = paddingScanLimit
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, partial: Bool) throws -> Int {
        guard let payload = try prepareInput(.zstd, input, outputCount: output.count, partial: partial,
                                             stripPadding: true, paddingScanLimit: paddingScanLimit) else { return 0 }
        let decoded = try Self.contexts.withContext { dctx in
            try decompress(payload, into: output, partial: partial, dctx: dctx)
        }
        guard let decoded else { throw DecompressionError.libraryFailure(.zstd, detail: "ZSTD_createDCtx failed") }
        return decoded
    }

    /// Decoding contexts (about 160 KiB each), reused across calls: each is reset before use.
    static let contexts = ContextPool(make: { ZSTD_createDCtx() }, free: { _ = ZSTD_freeDCtx($0) })

    private func decompress(_ payload: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, partial: Bool, dctx: OpaquePointer) throws -> Int {
        _ = ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters)
        let setRet = ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, Int32(windowLogMax))
        if ZSTD_isError(setRet) != 0 {
            throw DecompressionError.libraryFailure(.zstd, detail: Self.message(setRet))
        }

        // A frame header that states its content size lets us refuse a mismatch before decoding.
        let claimed = ZSTD_getFrameContentSize(payload.baseAddress, payload.count)
        if claimed != ZSTD_CONTENTSIZE_ERROR && claimed != ZSTD_CONTENTSIZE_UNKNOWN {
            if claimed < UInt64(output.count) {
                throw DecompressionError.outputSizeMismatch(.zstd, expected: output.count, got: Int(claimed))
            }
            if claimed > UInt64(output.count) && !partial {
                throw DecompressionError.outputOverflow(.zstd, capacity: output.count)
            }
        }

        if !partial {
            let r = ZSTD_decompressDCtx(dctx, output.baseAddress, output.count, payload.baseAddress, payload.count)
            if ZSTD_isError(r) != 0 {
                if ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall {
                    throw DecompressionError.outputOverflow(.zstd, capacity: output.count)
                }
                throw DecompressionError.corrupt(.zstd, detail: Self.message(r))
            }
            if r != output.count {
                throw DecompressionError.outputSizeMismatch(.zstd, expected: output.count, got: r)
            }
            return r
        }

        var inBuf = ZSTD_inBuffer(src: payload.baseAddress, size: payload.count, pos: 0)
        var outBuf = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        while outBuf.pos < outBuf.size {
            let before = (inBuf.pos, outBuf.pos)
            let r = ZSTD_decompressStream(dctx, &outBuf, &inBuf)
            if ZSTD_isError(r) != 0 {
                throw DecompressionError.corrupt(.zstd, detail: Self.message(r))
            }
            if r == 0 && outBuf.pos < outBuf.size {
                // The frame ended before the wanted prefix was complete.
                throw DecompressionError.outputSizeMismatch(.zstd, expected: output.count, got: outBuf.pos)
            }
            if outBuf.pos < outBuf.size && (inBuf.pos, outBuf.pos) == before {
                throw DecompressionError.corrupt(.zstd, detail: "truncated frame after \(outBuf.pos) bytes")
            }
        }
        return outBuf.pos
    }

    static func message(_ code: Int) -> String {
        if let n = ZSTD_getErrorName(code) { return String(cString: n) }
        return "error \(code)"
    }
}
