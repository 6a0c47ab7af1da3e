import XCTest
final class EROFSTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
