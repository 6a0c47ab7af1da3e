import EROFS
import Inspector
import XCTest

/// `flat`: every container has private copies of all its files, even of an image it shares.
final class FlatDesignTests: XCTestCase {
    func testTwoContainersOnOneImageShareUnderNoneButNotUnderFlat() throws {
        let image = LayerStackKernelTests.layers + "/base.erofs"
        var config = SessionConfiguration(images: [ImageSpec(path: image)])
        config.containers = [SessionContainer(name: "a", image: 0), SessionContainer(name: "b", image: 0)]
        config.builtinWorkloads = [(.readAll, nil)]
        let session = try Session(config, designs: [.none, .flat])
        try session.runToEnd()
        let report = session.report()
        let none = try XCTUnwrap(report.policies.first { $0.design == .none })
        let flat = try XCTUnwrap(report.policies.first { $0.design == .flat })
        XCTAssertGreaterThan(none.containers[0].chargedBytes, 0)
        XCTAssertEqual(none.containers[1].chargedBytes, 0, "one mount: b finds everything a read")
        XCTAssertEqual(flat.containers[0].chargedBytes, none.containers[0].chargedBytes)
        XCTAssertEqual(flat.containers[1].chargedBytes, flat.containers[0].chargedBytes, "flat: b pays for its own copy")
        XCTAssertEqual(flat.hits, 0)
    }
}
