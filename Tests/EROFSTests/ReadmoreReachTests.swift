@testable import EROFS
import XCTest

/// `DataExtent.readmoreReach`: how far the kernel's `z_erofs_pcluster_readmore` widens a read.
final class ReadmoreReachTests: XCTestCase {
    private func extent(_ encoding: ExtentEncoding, _ kind: PclusterKind) -> DataExtent {
        DataExtent(logicalOffset: 0, length: 65536,
                   location: .compressed(CompressedExtent(device: 0, physicalOffset: 4096, physicalLength: 8192, algorithm: encoding, kind: kind)))
    }

    func testWholeExtentForAlgorithmsThatDecodeWholePclusters() {
        for algorithm in [ExtentEncoding.compressed(.lzma), .compressed(.deflate), .compressed(.zstd)] {
            XCTAssertEqual(extent(algorithm, .head).readmoreReach(indexFormat: .compact), .wholeExtent, algorithm.name)
        }
    }

    func testLZ4AndRawStopAtTheLclusterUnlessEncoded() {
        XCTAssertEqual(extent(.compressed(.lz4), .head).readmoreReach(indexFormat: .full), .endOfLcluster)
        XCTAssertEqual(extent(.raw, .plain).readmoreReach(indexFormat: .compact), .endOfLcluster)
        XCTAssertEqual(extent(.compressed(.lz4), .head).readmoreReach(indexFormat: .encodedExtents), .wholeExtent)
    }

    func testFragmentsHolesAndPlainDataAreNotWidened() {
        XCTAssertEqual(extent(.raw, .fragment).readmoreReach(indexFormat: .compact), .none)
        XCTAssertEqual(DataExtent(logicalOffset: 0, length: 4096, location: .hole).readmoreReach(indexFormat: .compact), .none)
        XCTAssertEqual(DataExtent(logicalOffset: 0, length: 4096, location: .device(id: 0, offset: 0)).readmoreReach(indexFormat: .full), .none)
    }

    func testNamesAreTheStatSpellings() {
        XCTAssertEqual(ExtentEncoding.rawInterlaced.name, "raw-interlaced")
        XCTAssertEqual(ExtentEncoding.compressed(.zstd).name, "zstd")
        XCTAssertEqual(CompressionLayout.IndexFormat.encodedExtents.name, "encoded-extents")
        XCTAssertEqual(PclusterKind.dedupe.name, "dedupe")
    }
}
