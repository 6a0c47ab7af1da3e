import EROFS
import FixtureSupport
import Foundation
import XCTest

/// Extract of the DEFLATE, LZMA and Zstandard fixtures (made by mkfs.erofs 1.9, with 4 KiB and
/// larger pclusters, fragments and tail packing) against their manifests: the decoders behind
/// them (libdeflate with zlib as fallback, pooled zstd and liblzma contexts) decode every file
/// byte for byte, and a second extraction on several threads gives the same tree.
final class CompressedExtractTests: XCTestCase {
    func testDeflateLzmaAndZstdFixturesExtractToTheirManifests() throws {
        let fixtures = try FixtureIndex.compressedFixtures().filter { f in ["deflate", "lzma", "zstd"].contains { f.file.contains($0) } }
        for algorithm in ["deflate", "libdeflate", "lzma", "zstd"] {
            XCTAssertTrue(fixtures.contains { $0.file.contains(algorithm) }, "a \(algorithm) fixture should be listed in index.json")
        }
        let root = try Shell.temporaryDirectory("extract-compressed")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (i, fixture) in fixtures.enumerated() {
            let first = "\(root)/\(i)-a", second = "\(root)/\(i)-b"
            let image = try fixture.open()
            let summary = try image.extract(to: first)
            XCTAssertGreaterThan(summary.bytes, 0, fixture.file)
            XCTAssertGreaterThan(image.decompressionStatistics.pclustersDecoded, 0, "\(fixture.file) should decode pclusters")
            ManifestComparison.assertNone(try ManifestComparison.differences(extracted: first, try fixture.loadManifest(), owners: getuid() == 0),
                                          "extract of \(fixture.file)")
            try fixture.open().extract(to: second)
            try TreeComparison.assertTreesEqual(first, second)
        }
    }
}
