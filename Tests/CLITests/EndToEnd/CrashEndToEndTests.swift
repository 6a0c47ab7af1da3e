import Foundation
import XCTest

/// A crash while the UI runs, with the real binary in a real terminal (tmux): the signal handler
/// gives the terminal back (alternate screen left, cursor shown, echo and canonical input on),
/// prints what was written to stderr meanwhile and a one-line note, lets the Swift backtracer
/// report, and the process ends with the signal (it does not run on after the report).
final class CrashEndToEndTests: XCTestCase {
    var binary: String { DemoEndToEndTests.binary }
    var folder: String!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("\(binary) is not built (run `swift build --build-tests` first)")
        }
        folder = try CLI.temporaryDirectory("crash-ui")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Waits for the program to end. In a terminal the Swift backtracer offers to interact for
    /// 30 seconds after its report ("Press space to interact, ..."); any other key dismisses it.
    func waitForEnd(_ tmux: TmuxSession) throws -> String {
        let seen = try tmux.waitFor(60, "the backtracer's prompt or the exit") {
            $0.contains("Press space to interact") || $0.contains("EXIT-STATUS=")
        }
        if !seen.contains("EXIT-STATUS=") { try tmux.send("q") }
        try tmux.waitForExitAndTTYModes()
        return try tmux.capture(history: true)
    }

    /// Asserts `texts` appear in this order, each on its own line.
    func assertInOrder(_ texts: [String], in screen: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = texts.map { TmuxSession.lineIndex(of: $0, in: screen) }
        XCTAssertFalse(lines.contains(nil), "missing one of \(texts):\n\(screen)", file: file, line: line)
        let found = lines.compactMap { $0 }
        XCTAssertEqual(found, found.sorted(), "out of order: \(texts):\n\(screen)", file: file, line: line)
    }

    func testASwiftTrapRestoresTheTerminalThenShowsTheFatalErrorAndEnds() throws {
        // EROFS_TOP_TEST_TRAP_AFTER is the UI's documented test hook: fatalError after N seconds.
        let tmux = try TmuxSession(command: "\(binary) demo --speed 0.001", environment: ["EROFS_TOP_TEST_TRAP_AFTER": "4"], epilogue: "stty -a")
        try tmux.waitFor(20, "the dashboard before the trap") { $0.contains("policy:") && $0.contains("events") }
        let screen = try waitForEnd(tmux)

        let status = try XCTUnwrap(TmuxSession.exitStatus(screen), screen)
        XCTAssertTrue([128 + SIGILL, 128 + SIGTRAP].contains(Int32(status)), "ended by the trap's signal, got \(status):\n\(screen)")
        let signal = status == 128 + Int(SIGILL) ? "SIGILL" : "SIGTRAP"
        try tmux.assertTerminalRestored(screen)
        // The runtime's message (written to stderr just before the trap, while the UI was up),
        // then the handler's note, then the backtracer's report (when the toolchain's
        // swift-backtrace is there), all on the ordinary screen.
        let note = "erofs-top: crashed (\(signal)); the terminal was restored"
        assertInOrder(["Fatal error: EROFS_TOP_TEST_TRAP_AFTER test hook", note, "EXIT-STATUS="], in: screen)
        if screen.contains("Program crashed") { assertInOrder([note, "Program crashed"], in: screen) }
    }

    func testACrashSignalSentWithKillEndsTheProcessAfterTheReport() throws {
        // A signal from kill(1) returns from the backtracer's handler to the program, which used to
        // run on (drawing over the restored terminal); now the default action ends it.
        let pidFile = folder + "/pid"
        let tmux = try TmuxSession(command: "sh -c 'echo $$ > \(pidFile); exec \(binary) demo --speed 0.001'", epilogue: "stty -a")
        try tmux.waitFor(30, "the dashboard") { $0.contains("policy:") && $0.contains("events") }
        let pid = try XCTUnwrap(pid_t(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(kill(pid, SIGSEGV), 0)
        let screen = try waitForEnd(tmux)

        XCTAssertEqual(TmuxSession.exitStatus(screen), 128 + Int(SIGSEGV), screen)
        try tmux.assertTerminalRestored(screen)
        assertInOrder(["erofs-top: crashed (SIGSEGV); the terminal was restored", "EXIT-STATUS="], in: screen)
    }

    func testCtrlBackslashQuitsWithACoreDumpAndGivesTheTerminalBack() throws {
        // Ctrl-\ sends SIGQUIT (curses keeps ISIG); the Swift runtime treats it as a crash.
        let tmux = try TmuxSession(command: "\(binary) demo --speed 0.001", epilogue: "stty -a")
        try tmux.waitFor(30, "the dashboard") { $0.contains("policy:") && $0.contains("events") }
        try tmux.send("C-\\")
        let screen = try waitForEnd(tmux)

        XCTAssertEqual(TmuxSession.exitStatus(screen), 128 + Int(SIGQUIT), screen)
        try tmux.assertTerminalRestored(screen)
        assertInOrder(["erofs-top: quit (SIGQUIT); the terminal was restored", "EXIT-STATUS="], in: screen)
    }
}
