import XCTest

/// Enum options are parsed by swift-argument-parser: a wrong value is a usage error (exit 64)
/// that lists the choices.
final class EnumOptionTests: XCTestCase {
    func testWrongValuesAreUsageErrorsListingTheChoices() throws {
        let cases: [(option: String, choices: [String])] = [
            ("--mmap-touch", ["none", "first", "all"]),
            ("--mmap-faults", ["low", "estimate", "high"]),
            ("--fingerprints", ["stored", "compute"]),
            ("--format", ["native", "strace", "ftrace"]),
            ("--oci-mode", ["f", "i"]),
        ]
        for (option, choices) in cases {
            let result = try CLI.run(["report", option, "bogus"])
            XCTAssertEqual(result.status, 64, option)
            XCTAssertTrue(result.stderr.contains("'bogus' is invalid for '\(option)"), result.stderr)
            for choice in choices { XCTAssertTrue(result.stderr.contains("'\(choice)'"), "\(option): \(result.stderr)") }
        }
    }
}
