import XCTest
@testable import Inspector

/// Names of shared address spaces (shown by the UI's blob and space views).
final class SpaceNamingTests: XCTestCase {
    func testFingerprintHexIsEachByteInUnpaddedLowercaseHex() {
        let all = (0...255).map { UInt8($0) }
        XCTAssertEqual(FileRegistrar.hexDigits(all), all.map { String($0, radix: 16) }.joined())
        XCTAssertEqual(FileRegistrar.hexDigits([]), "")
    }
}
