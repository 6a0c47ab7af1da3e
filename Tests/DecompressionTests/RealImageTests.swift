import Decompression
import Foundation
import XCTest

/// Decodes real pclusters written by mkfs.erofs 1.9.4 (see RealImageFixtures.swift), with the
/// config records from the same images.
final class RealImageTests: XCTestCase {
    static let expected: [UInt8] = Array((0..<700).map { "line \($0) erofs pcluster \($0 * $0 % 97)\n" }.joined().utf8)

    func testFixturesDecodeWithTheirConfigRecords() throws {
        XCTAssertEqual(Self.expected.count, RealImageFixtures.fileSize)
        XCTAssertEqual(RealImageFixtures.all.count, 4)
        for f in RealImageFixtures.all {
            let alg = try XCTUnwrap(CompressionAlgorithm.allCases.first { $0.name == f.alg })
            let cfgBytes = [UInt8](try XCTUnwrap(Data(base64Encoded: f.config)))
            let config = try AlgorithmConfig.parse(algorithm: alg, bytes: cfgBytes)
            let pcluster = [UInt8](repeating: 0, count: f.zeroCount) + [UInt8](try XCTUnwrap(Data(base64Encoded: f.payload)))
            XCTAssertEqual(pcluster.count % 4096, 0, f.alg)
            let dec = makeDecompressor(alg, config: config, zeroPadding: true)
            XCTAssertEqual(try dec.decompress(pcluster, outputSize: Self.expected.count), Self.expected, f.alg)
            XCTAssertEqual(try dec.decompress(pcluster, outputSize: 4096, partial: true), Array(Self.expected.prefix(4096)), f.alg)
            XCTAssertThrowsError(try dec.decompress(pcluster, outputSize: Self.expected.count + 1), f.alg)
        }
    }

    func testRealConfigRecordValues() throws {
        func cfg(_ name: String) throws -> AlgorithmConfig {
            let f = try XCTUnwrap(RealImageFixtures.all.first { $0.alg == name })
            let alg = try XCTUnwrap(CompressionAlgorithm.allCases.first { $0.name == name })
            return try AlgorithmConfig.parse(algorithm: alg, bytes: [UInt8](try XCTUnwrap(Data(base64Encoded: f.config))))
        }
        XCTAssertEqual(try cfg("lz4"), .lz4(LZ4Config(maxDistance: 0xFFFF, maxPclusterBlocks: 2)))
        XCTAssertEqual(try cfg("lzma"), .lzma(LZMAConfig(dictSize: 32 << 10)))
        XCTAssertEqual(try cfg("deflate"), .deflate(DeflateConfig(windowBits: 15)))
        XCTAssertEqual(try cfg("zstd"), .zstd(ZstdConfig(windowLog: 16)))
    }

    func testRealMicroLZMAPayloadStartsWithNegatedProperties() throws {
        let f = try XCTUnwrap(RealImageFixtures.all.first { $0.alg == "lzma" })
        let payload = [UInt8](try XCTUnwrap(Data(base64Encoded: f.payload)))
        XCTAssertEqual(payload[0], ~UInt8(0x5D))
    }
}
