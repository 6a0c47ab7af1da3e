import EROFS
import XCTest
@testable import Inspector

/// Cached bytes per blob (the Blobs panel's `Cached` column) count each cached page once.
final class BlobResidencyTests: XCTestCase {
    func testASharedBlobsPagesAreCountedOnceAcrossImages() throws {
        let names = ["base", "v1", "v2"]
        var config = SessionConfiguration(images: ["python-base", "requests-v1", "requests-v2"].map { ImageSpec(path: Samples.url($0 + ".erofs").path) })
        config.containers = names.enumerated().map { SessionContainer(name: $1, image: $0) }
        config.traces = names.map { TraceInput(url: Samples.url("traces/startup-\($0).ftrace"), container: $0) }
        let session = try Session(config, designs: [.none, .blob])
        try session.runToEnd()

        var blobSize: [String: UInt64] = [:]
        var imagesOfBlob: [String: Set<Int>] = [:]
        for (i, catalog) in session.catalogs.enumerated() {
            for device in catalog.image.devices where device.id != 0 {
                let name = BlobIdentity.blobName(of: catalog.image, device: device.id)
                blobSize[name] = UInt64(device.size)
                imagesOfBlob[name, default: []].insert(i)
            }
        }
        let report = session.report()
        for design in [SharingDesign.none, .blob] {
            let distinct = session.residentBytesByBlob(design: design)
            // What summing each image's view gives: a shared blob's pages once per image.
            var perImageSum: [String: UInt64] = [:]
            for snapshot in session.residencySnapshot(design: design) {
                for (blob, pages) in snapshot.residentPagesByBlob { perImageSum[blob, default: 0] += pages * 4096 }
            }
            let resident = try XCTUnwrap(report.policies.first { $0.design == design }).residentBytes
            XCTAssertLessThanOrEqual(distinct.values.reduce(0, +), resident, "\(design): blobs hold more than is resident")
            if design == .none {
                // Without sharing every image caches its own copy: nothing to count twice.
                XCTAssertEqual(distinct, perImageSum)
            } else {
                for (blob, bytes) in distinct where blobSize[blob] != nil {
                    XCTAssertLessThanOrEqual(bytes, (blobSize[blob]! + 4095) / 4096 * 4096, "\(blob): more cached than the blob holds")
                }
                let shared = try XCTUnwrap(imagesOfBlob.first { $0.value.count == 3 }?.key, "the base layer blob backs all three images")
                XCTAssertGreaterThan(try XCTUnwrap(distinct[shared]), 0)
                XCTAssertLessThan(try XCTUnwrap(distinct[shared]), try XCTUnwrap(perImageSum[shared]),
                                  "the base blob's pages, cached once, were counted once per image")
            }
        }
    }
}
