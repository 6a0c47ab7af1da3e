import FixtureSupport
import XCTest

extension ManifestComparison {
    /// Fails the test with up to `limit` differences, labelled.
    static func assertNone(_ differences: [String], _ label: String, limit: Int = 40, file: StaticString = #filePath, line: UInt = #line) {
        guard !differences.isEmpty else { return }
        let shown = differences.prefix(limit).joined(separator: "\n  ")
        let more = differences.count > limit ? "\n  … \(differences.count - limit) more" : ""
        XCTFail("\(label): \(differences.count) difference(s):\n  \(shown)\(more)", file: file, line: line)
    }
}
