import Foundation
import XCTest

/// `live` usage errors and a host without EROFS mounts (no root needed).
final class LiveUsageTests: XCTestCase {
    func testNoMountsIsAClearError() throws {
        let r = try CLI.run(["live", "--batch", "--count", "1", "--mount", "/nonexistent-\(getpid())"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("erofs-top: no EROFS mounts"), r.stderr)
    }

    func testJSONNeedsBatch() throws {
        let r = try CLI.run(["live", "--json"])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("--json needs --batch"), r.stderr)
    }

    func testWithoutATerminalTheUIPointsAtBatch() throws {
        let r = try CLI.run(["live"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("erofs-top live --batch"), r.stderr)
    }
}
