// Shared types of the Decompression module: thin wrappers over liblz4, liblzma (MicroLZMA),
// zlib (raw inflate) and libzstd, with the framing rules EROFS uses (erofs-format.md §7.8).

/// EROFS compression algorithm numbers (`h_algorithmtype` nibbles and the superblock's algorithm bitmap).
public enum CompressionAlgorithm: UInt8, Sendable, CaseIterable {
    /// Raw LZ4 block format (LZ4HC output is plain LZ4).
    case lz4 = 0
    /// xz's MicroLZMA.
    case lzma = 1
    /// Raw deflate (no zlib/gzip header).
    case deflate = 2
    /// A standard zstd frame.
    case zstd = 3

    /// Short lowercase name, as mkfs.erofs spells it.
    public var name: String {
        switch self {
        case .lz4: return "lz4"
        case .lzma: return "lzma"
        case .deflate: return "deflate"
        case .zstd: return "zstd"
        }
    }
}

/// Errors thrown by decompressors and config parsing. Decompressors never crash on bad input.
public enum DecompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream is malformed or truncated (or, for LZMA/LZ4 exact decoding, continues past the wanted size).
    case corrupt(CompressionAlgorithm, detail: String)
    /// The stream decoded cleanly but to a different number of bytes than wanted
    /// (exact mode), or to fewer bytes than wanted (partial mode).
    case outputSizeMismatch(CompressionAlgorithm, expected: Int, got: Int)
    /// Exact mode only: the stream decodes to more than `capacity` bytes (e.g. a decompression bomb).
    /// Decoding stopped at the buffer's end; nothing proportional to the claimed size was allocated.
    case outputOverflow(CompressionAlgorithm, capacity: Int)
    /// The compressed input is larger than `DecompressionLimits.maxInputSize`.
    case inputTooLarge(CompressionAlgorithm, size: Int, limit: Int)
    /// The wanted output is larger than `DecompressionLimits.maxOutputSize`.
    case outputTooLarge(CompressionAlgorithm, size: Int, limit: Int)
    /// A compression config record is malformed or out of range.
    case invalidConfig(CompressionAlgorithm, detail: String)
    /// A well-formed request this module does not support.
    case unsupported(CompressionAlgorithm, detail: String)
    /// The C library failed for a reason unrelated to the data (e.g. out of memory).
    case libraryFailure(CompressionAlgorithm, detail: String)

    public var description: String {
        switch self {
        case let .corrupt(a, d): return "\(a.name): corrupt compressed data: \(d)"
        case let .outputSizeMismatch(a, e, g): return "\(a.name): decoded \(g) bytes, expected \(e)"
        case let .outputOverflow(a, c): return "\(a.name): stream decodes to more than \(c) bytes"
        case let .inputTooLarge(a, s, l): return "\(a.name): compressed input of \(s) bytes exceeds limit \(l)"
        case let .outputTooLarge(a, s, l): return "\(a.name): output of \(s) bytes exceeds limit \(l)"
        case let .invalidConfig(a, d): return "\(a.name): invalid config record: \(d)"
        case let .unsupported(a, d): return "\(a.name): unsupported: \(d)"
        case let .libraryFailure(a, d): return "\(a.name): library failure: \(d)"
        }
    }
}

/// Size limits applied by every decompressor, from the EROFS format (pcluster ≤ 1 MiB,
/// encoded-extent plen < 2 MiB, decoded extent ≤ 12 MiB), with some headroom.
public enum DecompressionLimits {
    /// Largest accepted compressed input, in bytes (2 MiB).
    public static let maxInputSize = 1 << 21
    /// Largest accepted output buffer, in bytes (16 MiB).
    public static let maxOutputSize = 1 << 24
    /// Kernel default scan window for zero padding: the first page.
    public static let defaultPaddingScanLimit = 4096
}

/// One decompression job: a pcluster's bytes and how many decoded bytes are wanted.
public struct DecompressionRequest {
    /// The pcluster bytes, possibly with leading zero padding.
    public var input: UnsafeRawBufferPointer
    /// Exact number of decoded bytes wanted.
    public var outputSize: Int
    /// If true, only the first `outputSize` bytes of what the stream decodes to are wanted.
    public var partial: Bool

    public init(input: UnsafeRawBufferPointer, outputSize: Int, partial: Bool = false) {
        self.input = input
        self.outputSize = outputSize
        self.partial = partial
    }
}

/// A stateless decompressor for one algorithm. Each call uses a library context of its own
/// (made for it, or taken from a pool of idle ones), so one value may be used from several
/// threads at once.
public protocol Decompressor: Sendable {
    /// The algorithm this decompressor decodes.
    var algorithm: CompressionAlgorithm { get }

    /// Decodes `input` (a pcluster, zero padding allowed per algorithm) into `output`.
    ///
    /// - `partial == false`: the stream must decode to exactly `output.count` bytes; a shorter stream
    ///   throws `.outputSizeMismatch`, a longer one `.outputOverflow` (or `.corrupt` where the library
    ///   cannot tell the difference).
    /// - `partial == true`: only the first `output.count` decoded bytes are wanted; decoding stops there.
    ///   A stream that decodes to fewer bytes throws `.outputSizeMismatch`.
    /// - Returns: the number of bytes written, always `output.count` on success.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, partial: Bool) throws -> Int
}

extension Decompressor {
    /// Convenience: decodes a request into a new array of exactly `request.outputSize` bytes.
    public func decompress(_ request: DecompressionRequest) throws -> [UInt8] {
        try checkLimits(algorithm, inputCount: request.input.count, outputCount: request.outputSize)
        return try [UInt8](unsafeUninitializedCapacity: request.outputSize) { buf, count in
            count = 0
            let n = try decompress(request.input, into: UnsafeMutableRawBufferPointer(buf), partial: request.partial)
            count = n
        }
    }

    /// Convenience over byte arrays (mostly for tests and tools).
    public func decompress(_ input: [UInt8], outputSize: Int, partial: Bool = false) throws -> [UInt8] {
        try input.withUnsafeBytes { try decompress(DecompressionRequest(input: $0, outputSize: outputSize, partial: partial)) }
    }
}

/// Makes the decompressor for `algorithm`.
///
/// - Parameters:
///   - config: the algorithm's config record, if the image has COMPR_CFGS. A config for another
///     algorithm is ignored.
///   - zeroPadding: LZ4 only: whether the image has INCOMPAT_ZERO_PADDING. LZMA, DEFLATE and ZSTD
///     always skip leading zeros.
///   - paddingScanLimit: how far zero padding is searched for (the kernel scans the first page/block).
public func makeDecompressor(_ algorithm: CompressionAlgorithm, config: AlgorithmConfig? = nil,
                             zeroPadding: Bool = true,
                             paddingScanLimit: Int = DecompressionLimits.defaultPaddingScanLimit) -> Decompressor {
    switch algorithm {
    case .lz4:
        return LZ4Decompressor(zeroPadding: zeroPadding, paddingScanLimit: paddingScanLimit)
    case .lzma:
        var dict = LZMAConfig.defaultDictSize
        if case let .lzma(c)? = config { dict = c.dictSize }
        return MicroLZMADecompressor(dictSize: dict, paddingScanLimit: paddingScanLimit)
    case .deflate:
        return DeflateDecompressor(paddingScanLimit: paddingScanLimit)
    case .zstd:
        var wlog = ZstdConfig.defaultWindowLog
        if case let .zstd(c)? = config { wlog = c.windowLog }
        return ZstdDecompressor(windowLogMax: wlog, paddingScanLimit: paddingScanLimit)
    }
}

/// Skips EROFS zero padding: returns the bytes after the leading 0x00 bytes, or nil if no
/// non-zero byte occurs within the first `min(limit, input.count)` bytes (the kernel treats that
/// as corruption). Like the kernel, only the first `limit` bytes are scanned.
public func stripLeadingZeroPadding(_ input: UnsafeRawBufferPointer, limit: Int = DecompressionLimits.defaultPaddingScanLimit) -> UnsafeRawBufferPointer? {
    let scan = min(max(limit, 0), input.count)
    var i = 0
    while i < scan {
        if input[i] != 0 { return UnsafeRawBufferPointer(rebasing: input[i...]) }
        i += 1
    }
    return nil
}

// MARK: - Internal helpers

@inline(__always)
func checkLimits(_ alg: CompressionAlgorithm, inputCount: Int, outputCount: Int) throws {
    if inputCount > DecompressionLimits.maxInputSize {
        throw DecompressionError.inputTooLarge(alg, size: inputCount, limit: DecompressionLimits.maxInputSize)
    }
    if outputCount > DecompressionLimits.maxOutputSize {
        throw DecompressionError.outputTooLarge(alg, size: outputCount, limit: DecompressionLimits.maxOutputSize)
    }
    if outputCount < 0 {
        throw DecompressionError.unsupported(alg, detail: "negative output size")
    }
}

/// Common prologue: limits, padding removal. Returns nil when there is nothing to do (empty partial output).
func prepareInput(_ alg: CompressionAlgorithm, _ input: UnsafeRawBufferPointer, outputCount: Int, partial: Bool,
                  stripPadding: Bool, paddingScanLimit: Int) throws -> UnsafeRawBufferPointer? {
    try checkLimits(alg, inputCount: input.count, outputCount: outputCount)
    if outputCount == 0 {
        if partial { return nil }
        throw DecompressionError.unsupported(alg, detail: "exact decoding to 0 bytes")
    }
    let payload: UnsafeRawBufferPointer
    if stripPadding {
        guard let p = stripLeadingZeroPadding(input, limit: paddingScanLimit) else {
            throw DecompressionError.corrupt(alg, detail: "no payload within the first \(min(paddingScanLimit, input.count)) bytes (all zero padding)")
        }
        payload = p
    } else {
        payload = input
    }
    guard payload.count > 0, payload.baseAddress != nil else {
        throw DecompressionError.corrupt(alg, detail: "empty input")
    }
    return payload
}
