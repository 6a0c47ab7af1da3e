import Foundation
import XCTest
@testable import TerminalUI

/// A source's own keys (`perform(key:)`, the live view's `w`) and its header note.
final class DashboardSourceKeyTests: XCTestCase {
    /// The fake source with a note in its header and a `w` key of its own.
    final class NotedSource: DashboardDataSource {
        let base = FakeDashboardSource()
        var keys: [Character] = []
        var generation: UInt64 { base.generation }
        var header: DashboardHeader { var h = base.header; h.note = "LIVE mincore every 1.0s  42 events"; return h }
        func children(image: Int, of directory: EntryID) -> [FileRow] { base.children(image: image, of: directory) }
        func ancestors(image: Int, of file: EntryID) -> [EntryID]? { base.ancestors(image: image, of: file) }
        var blobs: [BlobRow] { base.blobs }
        var shared: [SharedRow] { base.shared }
        func inodeMap(image: Int, file: EntryID) -> InodeMap? { base.inodeMap(image: image, file: file) }
        var hitRates: HitRates { base.hitRates }
        var policyComparison: PolicyComparison { base.policyComparison }
        func tick(now: Double) throws { try base.tick(now: now) }
        func perform(_ action: DashboardAction) throws -> String? { try base.perform(action) }
        func perform(key: Character) throws -> String? {
            guard key == "w" else { return nil }
            keys.append(key)
            return "writing the live events to /tmp/t.jsonl"
        }
    }

    func testTheNoteReplacesTheReplayStateAndSourceKeysReachTheSource() throws {
        let terminal = GridTerminal(rows: 40, cols: 120, colorMode: .color)
        let source = NotedSource()
        let app = Dashboard.makeApp(dataSource: source, terminal: terminal, shouldStop: { false })
        try app.step()
        let first = terminal.text().split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.trimmingCharacters(in: .whitespaces).hasSuffix("LIVE mincore every 1.0s  42 events"), first)
        XCTAssertFalse(first.contains("RUN "), "no replay state with a note")
        terminal.enqueue(.char("w"))
        try app.step()
        XCTAssertEqual(source.keys, ["w"])
        XCTAssertTrue(terminal.text().contains("writing the live events to /tmp/t.jsonl"))
        terminal.enqueue(.char("z"))
        try app.step()
        XCTAssertEqual(source.keys, ["w"], "keys the source does not take are ignored")
    }

    func testSourcesWithoutKeysIgnoreThem() throws {
        XCTAssertNil(try FakeDashboardSource().perform(key: "w"))
    }
}
