// EROFS compression config records (erofs-format.md §1.2), with the kernel's bounds checks.

/// LZ4 config record (L = 14).
public struct LZ4Config: Equatable, Sendable {
    /// Largest match distance the encoder used (le16).
    public var maxDistance: UInt16
    /// Largest pcluster in blocks (le16; 0 on disk means 1).
    public var maxPclusterBlocks: UInt16
    public init(maxDistance: UInt16, maxPclusterBlocks: UInt16) {
        self.maxDistance = maxDistance
        self.maxPclusterBlocks = maxPclusterBlocks
    }
}

/// LZMA (MicroLZMA) config record (L = 14).
public struct LZMAConfig: Equatable, Sendable {
    /// EROFS's cap on the LZMA dictionary (8 MiB), also the default when no record is given.
    public static let maxDictSize: UInt32 = 8 << 20
    public static let defaultDictSize: UInt32 = maxDictSize
    /// Dictionary size the encoder used (le32, ≤ 8 MiB).
    public var dictSize: UInt32
    public init(dictSize: UInt32) { self.dictSize = dictSize }
}

/// DEFLATE config record (L = 6).
public struct DeflateConfig: Equatable, Sendable {
    /// log2 of the window size (≤ 15; mkfs.erofs -zlibdeflate writes 0).
    public var windowBits: UInt8
    public init(windowBits: UInt8) { self.windowBits = windowBits }
}

/// ZSTD config record (L = 6).
public struct ZstdConfig: Equatable, Sendable {
    /// EROFS's cap: window ≤ 1 MiB (windowLog ≤ 20), also the default when no record is given.
    public static let maxWindowLog = 20
    public static let defaultWindowLog = maxWindowLog
    /// The actual windowLog (on-disk value + 10).
    public var windowLog: Int
    public init(windowLog: Int) { self.windowLog = windowLog }
}

/// A parsed EROFS compression config record.
public enum AlgorithmConfig: Equatable, Sendable {
    case lz4(LZ4Config)
    case lzma(LZMAConfig)
    case deflate(DeflateConfig)
    case zstd(ZstdConfig)

    /// The algorithm this record configures.
    public var algorithm: CompressionAlgorithm {
        switch self {
        case .lz4: return .lz4
        case .lzma: return .lzma
        case .deflate: return .deflate
        case .zstd: return .zstd
        }
    }

    /// Parses one record's payload: the `L` bytes after its le16 length field.
    ///
    /// - Parameter blockSizeBits: the image's log2 block size; bounds LZ4's max_pclusterblks so that a
    ///   pcluster stays ≤ 1 MiB, as the kernel does.
    /// - Throws: `DecompressionError.invalidConfig` for short records, nonzero format fields, or
    ///   out-of-range values (LZMA dict > 8 MiB, DEFLATE windowbits > 15 (0 is what -zlibdeflate writes), ZSTD windowLog > 20).
    public static func parse(algorithm: CompressionAlgorithm, bytes: some Collection<UInt8>, blockSizeBits: Int = 12) throws -> AlgorithmConfig {
        let b = Array(bytes)
        func need(_ n: Int) throws {
            if b.count < n {
                throw DecompressionError.invalidConfig(algorithm, detail: "record has \(b.count) bytes, need \(n)")
            }
        }
        func le16(_ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
        func le32(_ o: Int) -> UInt32 { UInt32(le16(o)) | UInt32(le16(o + 2)) << 16 }

        switch algorithm {
        case .lz4:
            try need(14)
            var blocks = le16(2)
            if blocks == 0 { blocks = 1 }
            let maxBlocks = (1 << 20) >> max(9, min(blockSizeBits, 16))
            if Int(blocks) > maxBlocks {
                throw DecompressionError.invalidConfig(.lz4, detail: "max_pclusterblks \(blocks) exceeds 1 MiB (\(maxBlocks) blocks)")
            }
            return .lz4(LZ4Config(maxDistance: le16(0), maxPclusterBlocks: blocks))
        case .lzma:
            try need(14)
            let dict = le32(0), format = le16(4)
            if format != 0 {
                throw DecompressionError.invalidConfig(.lzma, detail: "unknown format \(format)")
            }
            if dict > LZMAConfig.maxDictSize {
                throw DecompressionError.invalidConfig(.lzma, detail: "dict_size \(dict) exceeds \(LZMAConfig.maxDictSize)")
            }
            return .lzma(LZMAConfig(dictSize: dict))
        case .deflate:
            try need(6)
            let wb = b[0]
            // The kernel only refuses windowbits > 15; mkfs.erofs 1.9 -zlibdeflate writes 0.
            if wb > 15 {
                throw DecompressionError.invalidConfig(.deflate, detail: "windowbits \(wb) is more than 15")
            }
            return .deflate(DeflateConfig(windowBits: wb))
        case .zstd:
            try need(6)
            let format = b[0], wl = Int(b[1]) + 10
            if format != 0 {
                throw DecompressionError.invalidConfig(.zstd, detail: "unknown format \(format)")
            }
            if wl > ZstdConfig.maxWindowLog {
                throw DecompressionError.invalidConfig(.zstd, detail: "windowLog \(wl) exceeds \(ZstdConfig.maxWindowLog)")
            }
            return .zstd(ZstdConfig(windowLog: wl))
        }
    }
}
