import XCTest
final class PageCacheModelTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
