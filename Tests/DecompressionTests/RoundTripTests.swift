import CLZMA
import Decompression
import Dispatch
import XCTest

/// Round trips through each library's own encoder, with zero padding, partial decoding and size checks.
final class RoundTripTests: XCTestCase {
    let data = Samples.text(65536)

    /// (algorithm, payload) for every algorithm, for shared checks.
    func payloads(_ d: [UInt8]) -> [(CompressionAlgorithm, [UInt8])] {
        [(.lz4, Enc.lz4(d, hcLevel: 9)), (.lzma, Enc.microLZMA(d)), (.deflate, Enc.deflateRaw(d)), (.zstd, Enc.zstd(d))]
    }

    func testAlgorithmNumbersAndNames() {
        XCTAssertEqual(CompressionAlgorithm.allCases.map(\.rawValue), [0, 1, 2, 3])
        XCTAssertEqual(CompressionAlgorithm.allCases.map(\.name), ["lz4", "lzma", "deflate", "zstd"])
        XCTAssertEqual(makeDecompressor(.zstd).algorithm, .zstd)
        XCTAssertEqual(makeDecompressor(.lzma).algorithm, .lzma)
    }

    func testEveryAlgorithmRoundTripsWithZeroPadding() throws {
        for (alg, payload) in payloads(data) {
            XCTAssertNotEqual(payload.first, 0, "\(alg) stream must not start with 0x00")
            XCTAssertLessThan(payload.count, data.count, "\(alg) did not compress")
            let dec = makeDecompressor(alg)
            XCTAssertEqual(try dec.decompress(payload, outputSize: data.count), data, "\(alg) unpadded")
            let padded = Samples.padded(payload)
            XCTAssertGreaterThan(padded.count, payload.count)
            XCTAssertEqual(try dec.decompress(padded, outputSize: data.count), data, "\(alg) padded")
        }
    }

    func testSmallBlockSizedExtents() throws {
        for size in [1, 7, 4096] {
            let d = Samples.text(size, seed: UInt64(size))
            for (alg, payload) in payloads(d) {
                XCTAssertEqual(try makeDecompressor(alg).decompress(Samples.padded(payload), outputSize: size), d, "\(alg) \(size)")
            }
        }
    }

    func testPartialDecodingReturnsPrefix() throws {
        for (alg, payload) in payloads(data) {
            let dec = makeDecompressor(alg)
            for want in [1, 100, 4096, 40000, data.count] {
                XCTAssertEqual(try dec.decompress(Samples.padded(payload), outputSize: want, partial: true),
                               Array(data.prefix(want)), "\(alg) prefix \(want)")
            }
            XCTAssertEqual(try dec.decompress(payload, outputSize: 0, partial: true), [])
        }
    }

    func testExactDecodingRejectsWrongSizes() {
        for (alg, payload) in payloads(data) {
            let dec = makeDecompressor(alg)
            let p = Samples.padded(payload)
            // Stream shorter than wanted: a size mismatch (partial too: a prefix must exist).
            assertThrows(try dec.decompress(p, outputSize: data.count + 1), "\(alg) bigger") { $0.isMismatch }
            assertThrows(try dec.decompress(p, outputSize: data.count + 1, partial: true), "\(alg) bigger partial") { $0.isMismatch }
            // Stream longer than wanted without partial: an error (overflow where the library can tell).
            assertThrows(try dec.decompress(p, outputSize: data.count - 1), "\(alg) smaller") {
                alg == .lzma ? $0.isCorrupt : $0.isOverflow
            }
        }
    }

    func testErrorsNameTheAlgorithmAndSizes() {
        let dec = makeDecompressor(.zstd)
        do {
            _ = try dec.decompress(Enc.zstd(data), outputSize: data.count + 5)
            XCTFail("no error")
        } catch {
            XCTAssertEqual(error as? DecompressionError, .outputSizeMismatch(.zstd, expected: data.count + 5, got: data.count))
            XCTAssertTrue("\(error)".contains("zstd"))
            XCTAssertTrue("\(error)".contains("\(data.count)"))
        }
    }

    // MARK: LZ4 specifics

    func testLZ4DefaultAndHCAreBothPlainBlocks() throws {
        let dec = makeDecompressor(.lz4)
        XCTAssertEqual(try dec.decompress(Samples.padded(Enc.lz4(data)), outputSize: data.count), data)
        XCTAssertEqual(try dec.decompress(Samples.padded(Enc.lz4(data, hcLevel: 12)), outputSize: data.count), data)
    }

    func testLZ4WithoutZeroPaddingToleratesTrailingGarbage() throws {
        let payload = Enc.lz4(data)
        let pcluster = payload + Samples.random(4096 - payload.count % 4096, seed: 9)
        let old = makeDecompressor(.lz4, zeroPadding: false)
        XCTAssertEqual(try old.decompress(pcluster, outputSize: data.count), data)
        // With zero padding the stream must end exactly at the pcluster end, so garbage is an error.
        XCTAssertThrowsError(try makeDecompressor(.lz4, zeroPadding: true).decompress(pcluster, outputSize: data.count))
        // Without zero padding, leading zeros are not skipped: a padded pcluster does not decode.
        XCTAssertThrowsError(try old.decompress(Samples.padded(payload), outputSize: data.count))
    }

    // MARK: MicroLZMA specifics

    func testMicroLZMAFramingIsPassedAsIs() throws {
        // lc=3 lp=0 pb=2 → props 0x5D; MicroLZMA stores its bitwise NOT as byte 0.
        let payload = Enc.microLZMA(data)
        XCTAssertEqual(payload[0], ~UInt8(0x5D))
        // The decoder needs the exact compressed size: one stray byte after the stream fails in exact mode.
        XCTAssertThrowsError(try makeDecompressor(.lzma).decompress(payload + [0x55], outputSize: data.count))
        // The dictionary size from the config record is honoured: the encoder's or larger works, a smaller
        // one is caught by liblzma's distance check (proving the record reaches the decoder).
        for dict: UInt32 in [64 << 10, 1 << 20, 8 << 20] {
            let dec = makeDecompressor(.lzma, config: .lzma(LZMAConfig(dictSize: dict)))
            XCTAssertEqual(try dec.decompress(Samples.padded(payload), outputSize: data.count), data, "dict \(dict)")
        }
        let tooSmall = makeDecompressor(.lzma, config: .lzma(LZMAConfig(dictSize: 4096)))
        assertThrows(try tooSmall.decompress(payload, outputSize: data.count)) { $0.isCorrupt }
    }

    func testMicroLZMALargeDictionaryStream() throws {
        let big = Samples.text(1 << 20, seed: 3)
        let payload = Enc.microLZMA(big, dictSize: 8 << 20, preset: 1)
        let dec = makeDecompressor(.lzma, config: .lzma(LZMAConfig(dictSize: 8 << 20)))
        XCTAssertEqual(try dec.decompress(Samples.padded(payload), outputSize: big.count), big)
        XCTAssertEqual(try dec.decompress(payload, outputSize: 5000, partial: true), Array(big.prefix(5000)))
    }

    // MARK: Zstd specifics

    func testZstdFramesWithoutContentSize() throws {
        let payload = Enc.zstd(data, contentSize: false)
        let dec = makeDecompressor(.zstd)
        XCTAssertEqual(try dec.decompress(Samples.padded(payload), outputSize: data.count), data)
        XCTAssertEqual(try dec.decompress(payload, outputSize: 1000, partial: true), Array(data.prefix(1000)))
        assertThrows(try dec.decompress(payload, outputSize: data.count - 1)) { $0.isOverflow }
        assertThrows(try dec.decompress(payload, outputSize: data.count + 1)) { $0.isMismatch }
    }

    func testZstdWindowLogFromConfigBoundsPartialDecoding() throws {
        // 256 KiB, window 2^17, no content size: the header announces a 128 KiB window.
        let d = Samples.text(256 << 10, seed: 5)
        let payload = Enc.zstd(d, contentSize: false, windowLog: 17)
        let wide = makeDecompressor(.zstd, config: .zstd(ZstdConfig(windowLog: 17)))
        XCTAssertEqual(try wide.decompress(payload, outputSize: 4096, partial: true), Array(d.prefix(4096)))
        let narrow = makeDecompressor(.zstd, config: .zstd(ZstdConfig(windowLog: 12)))
        assertThrows(try narrow.decompress(payload, outputSize: 4096, partial: true)) { $0.isCorrupt }
    }

    // MARK: Threads

    func testConcurrentUseOfSharedDecompressors() {
        let cases = payloads(data).map { (makeDecompressor($0.0), Samples.padded($0.1)) }
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let (dec, input) = cases[i % cases.count]
            let want = i % 2 == 0 ? data.count : 3000
            let out = try? dec.decompress(input, outputSize: want, partial: want != data.count)
            if out != Array(data.prefix(want)) { failures.withLock { $0 += 1 } }
        }
        XCTAssertEqual(failures.withLock { $0 }, 0)
    }
}

final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
