import Foundation
import XCTest

/// The real `erofs-top` binary in a real terminal (tmux): the demo replays, keys work, and `q`
/// gives the terminal back.
final class DemoEndToEndTests: XCTestCase {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../.build/debug/erofs-top").standardizedFileURL.path

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("\(Self.binary) is not built (run `swift build --build-tests` first)")
        }
    }

    /// "RUN 0.4s  2159/6912 events" → 2159
    func eventsDone(_ screen: String) -> Int? {
        guard let line = screen.split(separator: "\n").first, let slash = line.range(of: "/") else { return nil }
        let before = line[..<slash.lowerBound].split(separator: " ").last
        return before.flatMap { Int($0) }
    }

    func testDemoReplaysAndPanelsFollowKeys() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) demo --speed 0.001", width: 140, height: 42)
        let first = try tmux.waitFor(30, "the dashboard header") { $0.contains("policy:") && $0.contains("events") }
        XCTAssertTrue(first.contains("python-base.erofs"))
        let start = try XCTUnwrap(eventsDone(first), first)
        // The replay advances by itself.
        let later = try tmux.waitFor(30, "the replay to advance") { (self.eventsDone($0) ?? 0) > start + 50 }
        XCTAssertGreaterThan(eventsDone(later) ?? 0, start)
        // Space pauses: the event count stops moving.
        try tmux.send("Space")
        let paused = try tmux.waitFor(10, "the pause marker") { $0.split(separator: "\n").first?.contains("PAUSE") ?? false }
        let frozen = eventsDone(paused)
        Thread.sleep(forTimeInterval: 1.0)
        XCTAssertEqual(eventsDone(try tmux.capture()), frozen, "paused replay must not advance")
        // `.` steps exactly one event.
        try tmux.send(".")
        try tmux.waitFor(10, "one step") { self.eventsDone($0) == (frozen ?? 0) + 1 }
        // `a` shows the all-policies comparison with every design.
        try tmux.send("a")
        let table = try tmux.waitFor(10, "the all-policies view") { $0.contains("All policies") && $0.contains("Saved vs none") }
        for design in ["none", "blob", "inode", "chunk"] { XCTAssertTrue(table.contains(design), design) }
        try tmux.send("a")
        // `p` cycles the policy shown in the header.
        try tmux.send("p")
        try tmux.waitFor(10, "the policy change in the status line") { $0.contains("policy inode") }
        // `q` quits and gives the terminal back: no panel borders remain, exit status 0.
        try tmux.send("q")
        let after = try tmux.waitFor(10, "the exit status") { $0.contains("EXIT-STATUS=") }
        XCTAssertTrue(after.contains("EXIT-STATUS=0"), after)
        XCTAssertFalse(after.contains("┌"), "the alternate screen must be gone:\n\(after)")
    }

    func testSmallTerminalShowsAMessageUntilItGrows() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) demo", width: 70, height: 20)
        let small = try tmux.waitFor(30, "the too-small message") { $0.lowercased().contains("small") || $0.contains("80") }
        XCTAssertFalse(small.contains("Shared:"), small)
        try tmux.resize(width: 130, height: 40)
        try tmux.waitFor(20, "panels after resize") { $0.contains("policy:") && $0.contains("Shared") }
        try tmux.send("q")
        try tmux.waitFor(10, "exit") { $0.contains("EXIT-STATUS=0") }
    }

    func testWithoutATerminalTypeItPointsAtTheTextCommands() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["demo"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TERM")
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 2)
        XCTAssertTrue(message.contains("erofs-top report"), message)
        XCTAssertTrue(message.contains("replay --batch"), message)
    }
}
