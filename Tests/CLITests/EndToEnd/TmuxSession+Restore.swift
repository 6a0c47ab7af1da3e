import Foundation
import XCTest

extension TmuxSession {
    /// Waits until the program has exited and the `stty -a` epilogue has printed; returns the screen.
    @discardableResult
    func waitForExitAndTTYModes(_ timeout: Double = 40) throws -> String {
        try waitFor(timeout, "the exit status and stty -a") { $0.contains("EXIT-STATUS=") && $0.contains("icanon") }
    }

    /// The exit status the pane printed, or nil.
    static func exitStatus(_ screen: String) -> Int? {
        guard let range = screen.range(of: "EXIT-STATUS=") else { return nil }
        return Int(screen[range.upperBound...].prefix { $0.isNumber })
    }

    /// Asserts the program gave the terminal back: the pane left the alternate screen, the cursor
    /// is visible, no panel is left on screen, and `stty -a` (the session's epilogue, run after
    /// the program) shows echo and canonical input on.
    func assertTerminalRestored(_ screen: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let modes = try screenModes()
        XCTAssertFalse(modes.alternateScreen, "the alternate screen must be left:\n\(screen)", file: file, line: line)
        XCTAssertTrue(modes.cursorVisible, "the cursor must be visible again", file: file, line: line)
        XCTAssertFalse(screen.contains("┌") || screen.contains("policy:"), "no panel may remain:\n\(screen)", file: file, line: line)
        let words = Set(screen.split { $0 == " " || $0 == ";" || $0 == "\n" }.map(String.init))
        for mode in ["echo", "icanon"] {
            XCTAssertTrue(words.contains(mode) && !words.contains("-" + mode), "stty -a must show \(mode) on:\n\(screen)", file: file, line: line)
        }
    }

    /// The line index of the first line containing `text`, or nil.
    static func lineIndex(of text: String, in screen: String) -> Int? {
        screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }
    }
}
