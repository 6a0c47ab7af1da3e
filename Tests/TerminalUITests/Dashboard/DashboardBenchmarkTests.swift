import XCTest
@testable import TerminalUI

/// The benchmark runs (small, untimed): frames are drawn while the synthetic
/// replay advances, and idle iterations draw nothing.
final class DashboardBenchmarkTests: XCTestCase {
    func testMeasureFramesSmoke() throws {
        let t = try DashboardBenchmark.measureFrames(images: 3, filesPerImage: 2_000, size: Size(rows: 60, cols: 200),
                                                 frames: 5, warmup: 1)
        XCTAssertEqual(t.frames.count, 5)
        XCTAssertEqual(t.idleDraws, 0)
        XCTAssertTrue(t.description.contains("200x60"))
    }
}
