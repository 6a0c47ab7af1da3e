import CLZ4

/// LZ4 raw-block decoder over liblz4 (EROFS algorithm 0).
///
/// With zero padding (INCOMPAT_ZERO_PADDING), leading zeros are skipped and exact decoding uses
/// `LZ4_decompress_safe`, which requires the payload to end exactly at the input's end. Without it
/// (old images) the stream starts at byte 0 and may be followed by garbage, so, like the kernel,
/// `LZ4_decompress_safe_partial` is used with the exact output size. Partial requests always use
/// the partial decoder.
public struct LZ4Decompressor: Decompressor {
    public var algorithm: CompressionAlgorithm { .lz4 }
    /// Whether the image has INCOMPAT_ZERO_PADDING.
    public var zeroPadding: Bool
    /// How far zero padding is searched for.
    public var paddingScanLimit: Int

    public init(zeroPadding: Bool = true, paddingScanLimit: Int = DecompressionLimits.defaultPaddingScanLimit) {
        self.zeroPadding = zeroPadding
        self.paddingScanLimit = paddingScanLimit
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, partial: Bool) throws -> Int {
        guard let payload = try prepareInput(.lz4, input, outputCount: output.count, partial: partial,
                                             stripPadding: zeroPadding, paddingScanLimit: paddingScanLimit) else { return 0 }
        let src = payload.baseAddress!.assumingMemoryBound(to: CChar.self)
        let dst = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        let srcSize = Int32(payload.count), cap = Int32(output.count)

        if partial || !zeroPadding {
            let r = LZ4_decompress_safe_partial(src, dst, srcSize, cap, cap)
            if r < 0 { throw DecompressionError.corrupt(.lz4, detail: "LZ4_decompress_safe_partial failed (\(r))") }
            if r != cap { throw DecompressionError.outputSizeMismatch(.lz4, expected: output.count, got: Int(r)) }
            return Int(r)
        }

        let r = LZ4_decompress_safe(src, dst, srcSize, cap)
        if r < 0 {
            // Tell "decodes to more than the buffer" from real corruption: if a partial decode fills the
            // buffer, the stream is valid up to there and simply continues.
            if LZ4_decompress_safe_partial(src, dst, srcSize, cap, cap) == cap {
                throw DecompressionError.outputOverflow(.lz4, capacity: output.count)
            }
            throw DecompressionError.corrupt(.lz4, detail: "LZ4_decompress_safe failed (\(r))")
        }
        if r != cap { throw DecompressionError.outputSizeMismatch(.lz4, expected: output.count, got: Int(r)) }
        return Int(r)
    }
}
