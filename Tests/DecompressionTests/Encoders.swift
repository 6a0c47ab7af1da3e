import DeterministicRandom
// Test-only encoders: each library's own compressor, called through the same C modules.
import CLZ4
import CLZMA
import CZlib
import CZstd
import Decompression
import XCTest


enum Samples {
    /// Compressible but not trivial: words from a small vocabulary, some random bytes.
    static func text(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let words = ["erofs", "pcluster", "lcluster", "page", "cache", "decompress", "inode", "block", "zero", "padding", "\n"]
        var out: [UInt8] = []
        out.reserveCapacity(count + 16)
        while out.count < count {
            if rng.next() % 16 == 0 {
                out.append(UInt8(truncatingIfNeeded: rng.next()))
            } else {
                out += Array(words[Int(rng.next() % UInt64(words.count))].utf8)
                out.append(0x20)
            }
        }
        return Array(out.prefix(count))
    }

    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// Right-aligns `payload` in a pcluster of whole 4 KiB blocks, preceded by zeros (ZERO_PADDING).
    static func padded(_ payload: [UInt8], block: Int = 4096) -> [UInt8] {
        let total = (payload.count + block - 1) / block * block
        return [UInt8](repeating: 0, count: total - payload.count) + payload
    }
}

enum Enc {
    static func lz4(_ data: [UInt8], hcLevel: Int32? = nil) -> [UInt8] {
        let cap = Int(LZ4_compressBound(Int32(data.count)))
        var out = [UInt8](repeating: 0, count: cap)
        let n: Int32 = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                let s = src.baseAddress!.assumingMemoryBound(to: CChar.self)
                let d = dst.baseAddress!.assumingMemoryBound(to: CChar.self)
                if let level = hcLevel { return LZ4_compress_HC(s, d, Int32(data.count), Int32(cap), level) }
                return LZ4_compress_default(s, d, Int32(data.count), Int32(cap))
            }
        }
        precondition(n > 0)
        return Array(out.prefix(Int(n)))
    }

    /// MicroLZMA via liblzma's own encoder, exactly what mkfs.erofs uses.
    static func microLZMA(_ data: [UInt8], dictSize: UInt32 = 64 << 10, preset: UInt32 = 6) -> [UInt8] {
        var opts = lzma_options_lzma()
        precondition(lzma_lzma_preset(&opts, preset) == 0)
        opts.dict_size = dictSize
        var strm = lzma_stream()
        defer { lzma_end(&strm) }
        precondition(lzma_microlzma_encoder(&strm, &opts) == LZMA_OK)
        var out = [UInt8](repeating: 0, count: data.count * 2 + 1024)
        let ret: lzma_ret = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                strm.next_in = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
                strm.avail_in = src.count
                strm.next_out = dst.baseAddress!.assumingMemoryBound(to: UInt8.self)
                strm.avail_out = dst.count
                return lzma_code(&strm, LZMA_FINISH)
            }
        }
        precondition(ret == LZMA_STREAM_END)
        precondition(Int(strm.total_in) == data.count)
        return Array(out.prefix(Int(strm.total_out)))
    }

    /// Raw deflate (no header), fed `count` bytes produced by `chunk` repeatedly if given.
    static func deflateRaw(_ data: [UInt8], level: Int32 = 6, repeatTo total: Int? = nil) -> [UInt8] {
        var s = z_stream()
        precondition(deflateInit2_(&s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&s) }
        var out: [UInt8] = []
        var chunkOut = [UInt8](repeating: 0, count: 1 << 16)
        let target = total ?? data.count
        var fed = 0
        repeat {
            let n = min(data.count, target - fed)
            fed += n
            let flush = fed == target ? Z_FINISH : Z_NO_FLUSH
            data.withUnsafeBytes { src in
                s.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.assumingMemoryBound(to: Bytef.self))
                s.avail_in = uInt(n)
                repeat {
                    chunkOut.withUnsafeMutableBytes { dst in
                        s.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                        s.avail_out = uInt(dst.count)
                        _ = deflate(&s, flush)
                        out += dst.prefix(dst.count - Int(s.avail_out))
                    }
                } while s.avail_out == 0 || s.avail_in > 0
            }
        } while fed < target
        return out
    }

    /// A zstd frame; optionally without the content size, with a given windowLog, or of `total`
    /// bytes made by repeating `data` (streamed, so never allocated in full).
    static func zstd(_ data: [UInt8], level: Int32 = 3, contentSize: Bool = true, windowLog: Int32? = nil,
                     repeatTo total: Int? = nil) -> [UInt8] {
        let cctx = ZSTD_createCCtx()!
        defer { ZSTD_freeCCtx(cctx) }
        _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, contentSize ? 1 : 0)
        if let w = windowLog { _ = ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, w) }
        let target = total ?? data.count
        if contentSize { _ = ZSTD_CCtx_setPledgedSrcSize(cctx, UInt64(target)) }
        var out: [UInt8] = []
        var chunkOut = [UInt8](repeating: 0, count: Int(ZSTD_CStreamOutSize()))
        var fed = 0
        repeat {
            let n = min(data.count, target - fed)
            fed += n
            let mode = fed == target ? ZSTD_e_end : ZSTD_e_continue
            data.withUnsafeBytes { src in
                var inBuf = ZSTD_inBuffer(src: src.baseAddress, size: n, pos: 0)
                while true {
                    let (r, produced): (Int, [UInt8]) = chunkOut.withUnsafeMutableBytes { dst in
                        var outBuf = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                        let r = ZSTD_compressStream2(cctx, &outBuf, &inBuf, mode)
                        return (r, Array(dst.prefix(outBuf.pos)))
                    }
                    precondition(ZSTD_isError(r) == 0)
                    out += produced
                    if mode == ZSTD_e_end ? r == 0 : inBuf.pos == inBuf.size { break }
                }
            }
        } while fed < target
        return out
    }
}

/// Peak resident set size of this process, in bytes.
func peakRSS() -> Int {
    var u = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &u)
    return u.ru_maxrss * 1024
}

/// Asserts that `body` throws a DecompressionError matching `match`.
func assertThrows<T>(_ body: @autoclosure () throws -> T, _ message: String = "",
                     file: StaticString = #filePath, line: UInt = #line,
                     _ match: (DecompressionError) -> Bool) {
    do {
        _ = try body()
        XCTFail("expected an error \(message)", file: file, line: line)
    } catch let e as DecompressionError {
        XCTAssertTrue(match(e), "unexpected error \(e) \(message)", file: file, line: line)
    } catch {
        XCTFail("non-DecompressionError \(error) \(message)", file: file, line: line)
    }
}

extension DecompressionError {
    var isCorrupt: Bool { if case .corrupt = self { return true }; return false }
    var isMismatch: Bool { if case .outputSizeMismatch = self { return true }; return false }
    var isOverflow: Bool { if case .outputOverflow = self { return true }; return false }
    var isInvalidConfig: Bool { if case .invalidConfig = self { return true }; return false }
}
