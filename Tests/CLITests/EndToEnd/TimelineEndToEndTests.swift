import Foundation
import XCTest

/// The real `erofs-top demo` in tmux at 80x24 and 200x60: the timeline bar seeks the real
/// replay, the knobs panel re-simulates it, panels are sized by content and `z` zooms.
final class TimelineEndToEndTests: XCTestCase {
    static let sizes = [(80, 24), (200, 60)]

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: DemoEndToEndTests.binary) else {
            throw XCTSkip("\(DemoEndToEndTests.binary) is not built (run `swift build --build-tests` first)")
        }
    }

    /// "… 1234/6912 ev  17%" on the timeline bar (the fourth line) → (1234, 6912).
    static func position(_ screen: String) -> (done: Int, total: Int)? {
        let lines = screen.components(separatedBy: "\n")
        guard lines.count > 3, let ev = lines[3].range(of: " ev ") else { return nil }
        let counts = lines[3][..<ev.lowerBound].split(separator: " ").last?.split(separator: "/")
        guard let counts, counts.count == 2, let done = Int(counts[0]), let total = Int(counts[1]) else { return nil }
        return (done, total)
    }

    /// Starts the demo, paused, with its timeline bar shown.
    func startPaused(width: Int, height: Int) throws -> (TmuxSession, total: Int) {
        let tmux = try TmuxSession(command: "\(DemoEndToEndTests.binary) demo --speed 0.001", width: width, height: height)
        try tmux.waitFor(30, "the timeline bar at \(width)x\(height)") { Self.position($0) != nil }
        try tmux.send("Space")
        let paused = try tmux.waitFor(10, "the pause") { $0.split(separator: "\n").first?.contains("PAUSE") ?? false }
        let total = try XCTUnwrap(Self.position(paused)?.total, paused)
        XCTAssertGreaterThan(total, 100, "the demo has a real trace")
        return (tmux, total)
    }

    func quit(_ tmux: TmuxSession) throws {
        try tmux.send("q")
        let after = try tmux.waitFor(10, "the exit status") { $0.contains("EXIT-STATUS=") }
        XCTAssertTrue(after.contains("EXIT-STATUS=0"), after)
    }

    func testSeekKeysGoToAndEnds() throws {
        for (width, height) in Self.sizes {
            let (tmux, total) = try startPaused(width: width, height: height)
            try tmux.send("g")
            try tmux.waitFor(10, "the go-to line") { $0.contains("go to (seconds, #event or %):") }
            try tmux.send("50%", "Enter")
            let half = Int((Double(total) * 0.5).rounded())  // as the go-to line rounds a percentage
            try tmux.waitFor(15, "event \(half)") { Self.position($0)?.done == half }
            try tmux.send("]")
            let step = Int((Double(total) * 0.01).rounded())
            try tmux.waitFor(15, "1% on") { Self.position($0)?.done == half + step }
            try tmux.send("{")
            let tenth = Int((Double(total) * 0.1).rounded())
            try tmux.waitFor(15, "10% back") { Self.position($0)?.done == half + step - tenth }
            try tmux.send("g", "#7", "Enter")
            try tmux.waitFor(15, "event 7") { Self.position($0)?.done == 7 }
            // In the all-policies view End and Home go to the ends of the replay.
            try tmux.send("a")
            try tmux.waitFor(10, "the all-policies view") { $0.contains("All policies") }
            try tmux.send("End")
            let end = try tmux.waitFor(30, "the end") { Self.position($0)?.done == total }
            XCTAssertTrue(end.split(separator: "\n").first?.contains("DONE") ?? false, "the replay is finished:\n\(end)")
            try tmux.send("Home")
            try tmux.waitFor(15, "the start") { Self.position($0)?.done == 0 }
            try quit(tmux)
        }
    }

    func testKnobsPanelReSimulatesAndTheHeaderShowsTheSettings() throws {
        for (width, height) in Self.sizes {
            let (tmux, total) = try startPaused(width: width, height: height)
            try tmux.send("g", "80%", "Enter")
            let target = Int((Double(total) * 0.8).rounded())
            let before = try tmux.waitFor(15, "80%") { Self.position($0)?.done == target }
            let position = try XCTUnwrap(Self.position(before))
            XCTAssertTrue(before.components(separatedBy: "\n")[1].contains("ra "), "the settings in the header:\n\(before)")
            try tmux.send("o")
            try tmux.waitFor(10, "the knobs panel") { $0.contains("What-if model settings") }
            try tmux.send("4", "2", "Enter")          // Readahead 42 KiB
            try tmux.send("Up", "Enter")              // Apply (Up from the first field wraps to Apply)
            let after = try tmux.waitFor(60, "the new settings in the header") {
                $0.components(separatedBy: "\n")[1].contains("ra 42K")
            }
            let status = after.components(separatedBy: "\n").last { !$0.isEmpty } ?? ""
            XCTAssertTrue(status.contains("model: readahead 42 KB"), "the source's status line:\n\(after)")
            XCTAssertEqual(Self.position(after)?.done, position.done, "the replay stays where it was")
            XCTAssertFalse(after.contains("What-if model settings"), "the panel closed")
            // Esc cancels without applying.
            try tmux.send("o")
            try tmux.waitFor(10, "the knobs panel again") { $0.contains("What-if model settings") }
            try tmux.send("Right", "Escape")           // (Right on a number does nothing)
            let closed = try tmux.waitFor(10, "the panel closed") { !$0.contains("What-if model settings") }
            XCTAssertTrue(closed.components(separatedBy: "\n")[1].contains("ra 42K"), "nothing applied:\n\(closed)")
            XCTAssertEqual(Self.position(closed)?.done, position.done)
            try quit(tmux)
        }
    }

    /// Data rows of the panel whose frame title starts with `title` (between its column
    /// header and its bottom border).
    static func rows(of title: String, in screen: String, left: Bool = true) -> Int? {
        let lines = screen.components(separatedBy: "\n")
        guard let top = lines.firstIndex(where: { $0.hasPrefix("┌ " + title) }) else { return nil }
        var count = 0
        for line in lines[(top + 2)...] {
            if line.hasPrefix("└") { return count }
            let inner = line.dropFirst().prefix { $0 != "│" }
            if !inner.trimmingCharacters(in: .whitespaces).isEmpty { count += 1 }
        }
        return count
    }

    func testPanelsSizedByContentAndZoom() throws {
        for (width, height) in Self.sizes {
            let tmux = try TmuxSession(command: "\(DemoEndToEndTests.binary) demo --speed 0.001", width: width, height: height)
            let screen = try tmux.waitFor(30, "the panels at \(width)x\(height)") { $0.contains("Blobs:") && $0.contains("Shared:") }
            let blobs = try XCTUnwrap(Self.rows(of: "Blobs:", in: screen), screen)
            let shared = try XCTUnwrap(Self.rows(of: "Shared:", in: screen), screen)
            let files = try XCTUnwrap(Self.rows(of: "Files:", in: screen), screen)
            XCTAssertGreaterThanOrEqual(blobs, 3, "Blobs readable at \(width)x\(height):\n\(screen)")
            XCTAssertGreaterThanOrEqual(shared, 3, "Shared readable at \(width)x\(height):\n\(screen)")
            XCTAssertGreaterThanOrEqual(files, 3, "every image in Files:\n\(screen)")
            if height >= 60 {
                // Tall enough for every device: the title's count equals the rows shown.
                let title = screen.components(separatedBy: "\n").first { $0.hasPrefix("┌ Blobs: ") } ?? ""
                let devices = Int(title.dropFirst("┌ Blobs: ".count).prefix { $0.isNumber }) ?? -1
                XCTAssertEqual(blobs, devices, "all devices shown:\n\(screen)")
            }
            // z zooms the focused panel (Blobs after two Tabs) to the whole body; z again restores.
            try tmux.send("Tab", "Tab", "z")
            let zoomed = try tmux.waitFor(10, "the zoomed Blobs panel") { !$0.contains("Files:") && $0.contains("Blobs:") }
            let lines = zoomed.components(separatedBy: "\n")
            let top = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("┌ Blobs:") }, zoomed)
            let bottom = try XCTUnwrap(lines.lastIndex { $0.hasPrefix("└") }, zoomed)
            XCTAssertEqual(bottom - top + 1, height - 3 - 1 - 1, "the frame spans the body (header, timeline, status):\n\(zoomed)")
            XCTAssertEqual(lines[top].count, width, "and the whole width")
            try tmux.send("z")
            try tmux.waitFor(10, "all panels again") { $0.contains("Files:") && $0.contains("Shared:") && $0.contains("Blobs:") }
            try quit(tmux)
        }
    }
}
