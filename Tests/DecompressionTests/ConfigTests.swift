import Decompression
import XCTest

/// Parsing of EROFS compression config records (erofs-format.md §1.2).
final class ConfigTests: XCTestCase {
    func testLZ4Record() throws {
        // Verified bytes for mkfs.erofs -C16384: 0e 00 | ff ff 04 00 + 10 reserved.
        let rec: [UInt8] = [0xFF, 0xFF, 0x04, 0x00] + [UInt8](repeating: 0, count: 10)
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .lz4, bytes: rec),
                       .lz4(LZ4Config(maxDistance: 0xFFFF, maxPclusterBlocks: 4)))
        // 0 blocks means 1.
        var zero = rec; zero[2] = 0
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .lz4, bytes: zero),
                       .lz4(LZ4Config(maxDistance: 0xFFFF, maxPclusterBlocks: 1)))
        // More than 1 MiB of 4 KiB blocks is refused; 256 is the maximum.
        var big = rec; big[2] = 0x01; big[3] = 0x01
        assertThrows(try AlgorithmConfig.parse(algorithm: .lz4, bytes: big)) { $0.isInvalidConfig }
        var max = rec; max[2] = 0x00; max[3] = 0x01
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .lz4, bytes: max).algorithm, .lz4)
        // With 512-byte blocks, 257 blocks fit in 1 MiB.
        XCTAssertNoThrow(try AlgorithmConfig.parse(algorithm: .lz4, bytes: big, blockSizeBits: 9))
        assertThrows(try AlgorithmConfig.parse(algorithm: .lz4, bytes: rec.prefix(13))) { $0.isInvalidConfig }
    }

    func testLZMARecord() throws {
        func rec(_ dict: UInt32, format: UInt16 = 0) -> [UInt8] {
            [UInt8(dict & 0xFF), UInt8(dict >> 8 & 0xFF), UInt8(dict >> 16 & 0xFF), UInt8(dict >> 24),
             UInt8(format & 0xFF), UInt8(format >> 8)] + [UInt8](repeating: 0, count: 8)
        }
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .lzma, bytes: rec(8 << 20)), .lzma(LZMAConfig(dictSize: 8 << 20)))
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .lzma, bytes: rec(0x12345)), .lzma(LZMAConfig(dictSize: 0x12345)))
        assertThrows(try AlgorithmConfig.parse(algorithm: .lzma, bytes: rec((8 << 20) + 1))) { $0.isInvalidConfig }
        assertThrows(try AlgorithmConfig.parse(algorithm: .lzma, bytes: rec(1 << 16, format: 1))) { $0.isInvalidConfig }
        assertThrows(try AlgorithmConfig.parse(algorithm: .lzma, bytes: rec(1 << 16).prefix(6))) { $0.isInvalidConfig }
    }

    func testDeflateRecord() throws {
        for wb: UInt8 in [0, 7] + Array(8...15) {
            XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .deflate, bytes: [wb, 0, 0, 0, 0, 0]),
                           .deflate(DeflateConfig(windowBits: wb)))
        }
        for wb: UInt8 in [16, 17, 255] {
            assertThrows(try AlgorithmConfig.parse(algorithm: .deflate, bytes: [wb, 0, 0, 0, 0, 0]), "\(wb)") { $0.isInvalidConfig }
        }
        assertThrows(try AlgorithmConfig.parse(algorithm: .deflate, bytes: [15])) { $0.isInvalidConfig }
    }

    func testZstdRecord() throws {
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .zstd, bytes: [0, 7, 0, 0, 0, 0]), .zstd(ZstdConfig(windowLog: 17)))
        XCTAssertEqual(try AlgorithmConfig.parse(algorithm: .zstd, bytes: [0, 10, 0, 0, 0, 0]), .zstd(ZstdConfig(windowLog: 20)))
        assertThrows(try AlgorithmConfig.parse(algorithm: .zstd, bytes: [0, 11, 0, 0, 0, 0])) { $0.isInvalidConfig }
        assertThrows(try AlgorithmConfig.parse(algorithm: .zstd, bytes: [1, 7, 0, 0, 0, 0])) { $0.isInvalidConfig }
        assertThrows(try AlgorithmConfig.parse(algorithm: .zstd, bytes: [0, 7])) { $0.isInvalidConfig }
    }

    func testConfigAlgorithmAndErrorText() {
        XCTAssertEqual(AlgorithmConfig.deflate(DeflateConfig(windowBits: 15)).algorithm, .deflate)
        XCTAssertEqual(AlgorithmConfig.zstd(ZstdConfig(windowLog: 17)).algorithm, .zstd)
        let e = DecompressionError.invalidConfig(.lzma, detail: "x")
        XCTAssertTrue(e.description.hasPrefix("lzma:"))
    }
}
