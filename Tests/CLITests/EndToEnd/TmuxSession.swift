import Foundation
import XCTest

/// Drives a real terminal program inside a detached tmux session: start it at a size, send keys,
/// capture the screen text. Skips the test when tmux is not installed.
final class TmuxSession {
    let name: String
    private let socket: String

    /// Starts `command` (a shell command line) in a new session of `width`×`height`.
    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed (scripts/test installs it); end-to-end UI test skipped")
        }
        name = "erofs-top-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        socket = NSTemporaryDirectory() + name + ".sock"
        let env = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                  "env TERM=xterm-256color LANG=C.UTF-8 \(env) \(command); echo EXIT-STATUS=$?; sleep 30"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        p.arguments = ["-S", socket] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else { throw NSError(domain: "tmux", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "tmux \(arguments.joined(separator: " ")): \(text)"]) }
        return text
    }

    /// Sends keys in tmux's key syntax ("q", "Tab", "Enter", "Space", "C-c").
    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// The visible screen as text lines.
    func capture() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// Polls the screen until `predicate` holds or `timeout` seconds pass; returns the last capture.
    @discardableResult
    func waitFor(_ timeout: Double = 20, _ what: String, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if predicate(screen) { return screen }
            usleep(100_000)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(screen)")
        return screen
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    func kill() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    deinit { kill() }
}
