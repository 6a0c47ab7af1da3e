import CLibdeflate
import CZlib

/// Raw-deflate decoder (EROFS algorithm 2): libdeflate for whole pclusters, zlib's inflate for
/// prefixes and for streams libdeflate refuses (so errors are zlib's).
///
/// For zlib, like the kernel, the stream is always opened with a 32 KiB window (`inflateInit2(-15)`), which
/// decodes any stream written with a config `windowbits` ≤ 15; zlib writes straight into the output
/// buffer, so memory stays at zlib's fixed state plus that window. Bytes after the end of the deflate
/// stream are ignored (as the kernel does). In exact mode, a stream that would produce more than the
/// buffer is detected by decoding one byte more into a scratch byte, never by decoding it all.
public struct DeflateDecompressor: Decompressor {
    public var algorithm: CompressionAlgorithm { .deflate }
    /// How far zero padding is searched for.
    public var paddingScanLimit: Int
    /// Whether whole pclusters go through libdeflate (false: zlib only, to compare the two).
    public var usesLibdeflate: Bool

    public init(paddingScanLimit: Int = DecompressionLimits.defaultPaddingScanLimit, usesLibdeflate: Bool = true) {
        self.paddingScanLimit = paddingScanLimit
        self.usesLibdeflate = usesLibdeflate
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, partial: Bool) throws -> Int {
        guard let payload = try prepareInput(.deflate, input, outputCount: output.count, partial: partial,
                                             stripPadding: true, paddingScanLimit: paddingScanLimit) else { return 0 }
        // Whole pclusters (the common case) go through libdeflate, several times faster than zlib.
        // It succeeds only when the stream decodes to exactly the buffer; anything else (and every
        // prefix decode) is left to zlib, which streams and says precisely what is wrong.
        if !partial && usesLibdeflate {
            let result = Self.libdeflateDecoders.withContext { decoder in
                libdeflate_deflate_decompress(decoder, payload.baseAddress, payload.count, output.baseAddress, output.count, nil)
            }
            if result == LIBDEFLATE_SUCCESS { return output.count }
        }
        var strm = z_stream()
        let initRet = inflateInit2_(&strm, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initRet == Z_OK else {
            throw DecompressionError.libraryFailure(.deflate, detail: "inflateInit2 failed (\(initRet))")
        }
        defer { inflateEnd(&strm) }

        strm.next_in = UnsafeMutablePointer(mutating: payload.baseAddress!.assumingMemoryBound(to: Bytef.self))
        strm.avail_in = uInt(payload.count)
        strm.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        strm.avail_out = uInt(output.count)

        var ret = inflate(&strm, Z_FINISH)
        let produced = Int(strm.total_out)
        switch ret {
        case Z_STREAM_END:
            if produced != output.count {
                throw DecompressionError.outputSizeMismatch(.deflate, expected: output.count, got: produced)
            }
            return produced
        case Z_BUF_ERROR, Z_OK:
            if strm.avail_out == 0 {
                if partial { return produced }
                // Buffer full but the stream has not ended: does it really produce more, or is only the
                // end-of-block code left? Decode into one scratch byte to find out.
                var scratch: UInt8 = 0
                ret = withUnsafeMutablePointer(to: &scratch) { sp in
                    strm.next_out = sp
                    strm.avail_out = 1
                    return inflate(&strm, Z_FINISH)
                }
                if strm.avail_out == 0 { throw DecompressionError.outputOverflow(.deflate, capacity: output.count) }
                if ret == Z_STREAM_END { return produced }
                if ret == Z_DATA_ERROR { throw DecompressionError.corrupt(.deflate, detail: Self.message(strm)) }
                throw DecompressionError.corrupt(.deflate, detail: "truncated stream after \(produced) bytes")
            }
            throw DecompressionError.corrupt(.deflate, detail: "truncated stream after \(produced) bytes")
        case Z_DATA_ERROR:
            throw DecompressionError.corrupt(.deflate, detail: Self.message(strm))
        case Z_MEM_ERROR:
            throw DecompressionError.libraryFailure(.deflate, detail: "out of memory")
        default:
            throw DecompressionError.corrupt(.deflate, detail: "inflate returned \(ret)")
        }
    }

    /// libdeflate decompressors (about 10 KiB each), shared by all calls.
    static let libdeflateDecoders = ContextPool(make: { libdeflate_alloc_decompressor() }, free: { libdeflate_free_decompressor($0) })

    static func message(_ strm: z_stream) -> String {
        if let m = strm.msg { return String(cString: m) }
        return "invalid deflate data"
    }
}
