import XCTest
final class WorkloadTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
