import Foundation
import XCTest
@testable import Inspector

/// `zeroPadded` writes what `String(format:)` wrote for `stat`'s nanoseconds and `info`'s hex fields.
final class ZeroPaddedTests: XCTestCase {
    func testMatchesTheFormatter() {
        var samples: [UInt32] = [0, 1, 9, 10, 99_999_999, 100_000_000, 999_999_999, 1_000_000_000, 0xE0F5_E1E2, UInt32.max]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 { samples.append(UInt32.random(in: 0...UInt32.max, using: &rng)) }
        for _ in 0..<500 { samples.append(UInt32.random(in: 0..<1000, using: &rng)) }
        for value in samples {
            XCTAssertEqual(zeroPadded(UInt64(value), 9), String(format: "%09u", value), "\(value)")
            XCTAssertEqual("0x" + zeroPadded(UInt64(value), 8, radix: 16), String(format: "0x%08x", value), "\(value)")
        }
    }
}
