import XCTest
final class InspectorTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
