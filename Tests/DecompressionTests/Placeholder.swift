import XCTest
final class DecompressionTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
