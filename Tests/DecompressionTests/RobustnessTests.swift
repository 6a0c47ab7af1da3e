import DeterministicRandom
import Decompression
import XCTest

/// Corrupt input, truncation, bombs, limits and zero-padding rules.
final class RobustnessTests: XCTestCase {
    let data = Samples.text(16384, seed: 11)

    func payload(_ alg: CompressionAlgorithm) -> [UInt8] {
        switch alg {
        case .lz4: return Enc.lz4(data)
        case .lzma: return Enc.microLZMA(data)
        case .deflate: return Enc.deflateRaw(data)
        case .zstd: return Enc.zstd(data)
        }
    }

    func testRandomBytesNeverCrashAndOnlyThrowTypedErrors() {
        var rng = SplitMix64(seed: 42)
        for alg in CompressionAlgorithm.allCases {
            for zp in [true, false] {
                let dec = makeDecompressor(alg, zeroPadding: zp)
                for trial in 0..<200 {
                    let len = Int(rng.next() % 2000) + 1
                    var input = Samples.random(len, seed: rng.next())
                    if trial % 4 == 0 { input[0] = 0xFF }
                    if trial % 7 == 0, alg == .zstd { input.replaceSubrange(0..<min(4, len), with: [0x28, 0xB5, 0x2F, 0xFD].prefix(len)) }
                    let want = Int(rng.next() % 9000) + 1
                    do {
                        let out = try dec.decompress(input, outputSize: want, partial: trial % 2 == 0)
                        XCTAssertEqual(out.count, want)
                    } catch is DecompressionError {
                    } catch {
                        XCTFail("\(alg): untyped error \(error)")
                    }
                }
            }
        }
    }

    func testBitFlipsAreDetectedOrHarmless() {
        // Flipping bytes must never crash; most flips must be detected (zstd and the others differ in
        // how much redundancy they have, so only "no crash, typed error or some output" is required).
        var rng = SplitMix64(seed: 7)
        for alg in CompressionAlgorithm.allCases {
            let p = payload(alg)
            let dec = makeDecompressor(alg)
            for _ in 0..<100 {
                var q = p
                let i = Int(rng.next() % UInt64(q.count))
                q[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                do { _ = try dec.decompress(q, outputSize: data.count) } catch is DecompressionError {} catch {
                    XCTFail("\(alg): untyped error \(error)")
                }
            }
        }
    }

    func testTruncatedStreamsThrow() {
        for alg in CompressionAlgorithm.allCases {
            let p = payload(alg)
            let dec = makeDecompressor(alg)
            for cut in [1, 2, 5, p.count / 3, p.count / 2, p.count - 1] where cut < p.count {
                let t = Array(p.prefix(cut))
                assertThrows(try dec.decompress(Samples.padded(t), outputSize: data.count), "\(alg) cut \(cut)") { _ in true }
            }
        }
    }

    func testAllZeroPclusterIsCorrupt() {
        for alg in CompressionAlgorithm.allCases {
            let dec = makeDecompressor(alg, zeroPadding: true)
            assertThrows(try dec.decompress([UInt8](repeating: 0, count: 4096), outputSize: 4096), "\(alg)") { $0.isCorrupt }
            assertThrows(try dec.decompress([], outputSize: 4096), "\(alg) empty") { $0.isCorrupt }
        }
    }

    func testZeroPaddingScanStopsAtLimit() throws {
        let p = Enc.zstd(data)
        // Padding longer than the first block: the kernel only scans the first page, so this is corrupt.
        let overlong = [UInt8](repeating: 0, count: 5000) + p
        assertThrows(try makeDecompressor(.zstd).decompress(overlong, outputSize: data.count)) { $0.isCorrupt }
        // With a bigger scan window (e.g. 16 KiB blocks) it decodes.
        XCTAssertEqual(try makeDecompressor(.zstd, paddingScanLimit: 16384).decompress(overlong, outputSize: data.count), data)
    }

    func testStripLeadingZeroPaddingHelper() {
        let bytes: [UInt8] = [0, 0, 0, 7, 0, 9]
        bytes.withUnsafeBytes { raw in
            XCTAssertEqual(stripLeadingZeroPadding(raw).map(Array.init), [7, 0, 9])
            XCTAssertEqual(stripLeadingZeroPadding(raw, limit: 4).map(Array.init), [7, 0, 9])
            XCTAssertNil(stripLeadingZeroPadding(raw, limit: 3))
        }
        [UInt8](repeating: 0, count: 10).withUnsafeBytes { XCTAssertNil(stripLeadingZeroPadding($0)) }
        [UInt8]().withUnsafeBytes { XCTAssertNil(stripLeadingZeroPadding($0)) }
        [UInt8]([1]).withUnsafeBytes { XCTAssertEqual(stripLeadingZeroPadding($0).map(Array.init), [1]) }
    }

    // MARK: Bombs

    func testDeflateBombIsRefusedWithBoundedMemory() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let bomb = Enc.deflateRaw(zeros, level: 1, repeatTo: 100_000_000)
        XCTAssertLessThan(bomb.count, 1 << 20)
        let dec = makeDecompressor(.deflate)
        let rssBefore = peakRSS()
        let start = Date()
        assertThrows(try dec.decompress(Samples.padded(bomb), outputSize: 4096)) { $0 == .outputOverflow(.deflate, capacity: 4096) }
        XCTAssertEqual(try dec.decompress(bomb, outputSize: 4096, partial: true), [UInt8](repeating: 0, count: 4096))
        XCTAssertLessThan(peakRSS() - rssBefore, 32 << 20)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "must stop early, not inflate 100 MB")
    }

    func testZstdBombIsRefusedWithBoundedMemory() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let withSize = Enc.zstd(zeros, level: 1, contentSize: true, repeatTo: 100_000_000)
        let noSize = Enc.zstd(zeros, level: 1, contentSize: false, windowLog: 20, repeatTo: 100_000_000)
        // Streamed in two calls so the encoder cannot shrink the window to the input size.
        let hugeWindow = Enc.zstd(zeros, level: 1, contentSize: false, windowLog: 27, repeatTo: 2 << 20)
        XCTAssertEqual(hugeWindow[5] >> 3, 27 - 10, "window descriptor should announce 2^27")
        let dec = makeDecompressor(.zstd)
        let rssBefore = peakRSS()
        let start = Date()
        for b in [withSize, noSize] {
            XCTAssertLessThan(b.count, 1 << 20)
            assertThrows(try dec.decompress(Samples.padded(b), outputSize: 4096)) { $0 == .outputOverflow(.zstd, capacity: 4096) }
        }
        // Partial decoding of a frame whose window fits the EROFS limit just stops when full.
        XCTAssertEqual(try dec.decompress(noSize, outputSize: 4096, partial: true), [UInt8](repeating: 0, count: 4096))
        // A frame header demanding a 2^27 window is refused, not allocated.
        assertThrows(try dec.decompress(hugeWindow, outputSize: 4096, partial: true)) { $0.isCorrupt }
        XCTAssertLessThan(peakRSS() - rssBefore, 32 << 20)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testLZ4AndLZMALongStreamsAreRefusedInExactMode() {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        assertThrows(try makeDecompressor(.lz4).decompress(Enc.lz4(zeros), outputSize: 4096)) { $0 == .outputOverflow(.lz4, capacity: 4096) }
        assertThrows(try makeDecompressor(.lzma).decompress(Enc.microLZMA(zeros, preset: 0), outputSize: 4096)) { $0.isCorrupt }
    }

    // MARK: Limits

    func testInputAndOutputLimits() {
        let tooBig = [UInt8](repeating: 1, count: DecompressionLimits.maxInputSize + 1)
        for alg in CompressionAlgorithm.allCases {
            let dec = makeDecompressor(alg)
            assertThrows(try dec.decompress(tooBig, outputSize: 4096), "\(alg)") {
                $0 == .inputTooLarge(alg, size: tooBig.count, limit: DecompressionLimits.maxInputSize)
            }
            assertThrows(try dec.decompress([1, 2, 3], outputSize: DecompressionLimits.maxOutputSize + 1), "\(alg)") {
                $0 == .outputTooLarge(alg, size: DecompressionLimits.maxOutputSize + 1, limit: DecompressionLimits.maxOutputSize)
            }
        }
    }

    func testRawBufferAPIWritesIntoCallerBuffer() throws {
        let p = Samples.padded(Enc.deflateRaw(data))
        var out = [UInt8](repeating: 0xAA, count: 100)
        let n = try p.withUnsafeBytes { inBuf in
            try out.withUnsafeMutableBytes { try DeflateDecompressor().decompress(inBuf, into: $0, partial: true) }
        }
        XCTAssertEqual(n, 100)
        XCTAssertEqual(out, Array(data.prefix(100)))
    }
}
