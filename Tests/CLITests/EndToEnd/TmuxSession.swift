import Foundation
import XCTest

/// Drives a real terminal program inside a detached tmux session: start it at a size, send keys,
/// capture the screen text. Skips the test when tmux is not installed.
final class TmuxSession {
    let name: String
    private let socket: String

    /// Starts `command` (a shell command line) in a new session of `width`×`height`. When it
    /// ends, the pane shows `EXIT-STATUS=<status>`, then runs `epilogue` (e.g. `stty -a`).
    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:], epilogue: String = "") throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed (scripts/test installs it); end-to-end UI test skipped")
        }
        name = "erofs-top-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        socket = NSTemporaryDirectory() + name + ".sock"
        let env = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let after = epilogue.isEmpty ? "" : " \(epilogue);"
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                  "env TERM=xterm-256color LANG=C.UTF-8 \(env) \(command); echo EXIT-STATUS=$?;\(after) sleep 30"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        // Through /bin/sh with output in a file and posix_spawn/waitpid: the tmux server forked
        // by new-session inherits the client's descriptors, and Foundation's Process does not
        // always notice the client's exit under XCTest.
        let outPath = NSTemporaryDirectory() + name + "-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let line = (["/usr/bin/tmux", "-S", socket] + arguments).map(quote).joined(separator: " ") + " > \(quote(outPath)) 2>&1 < /dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(line), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { throw NSError(domain: "tmux", code: 1) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xff
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard exitCode == 0 else { throw NSError(domain: "tmux", code: Int(exitCode), userInfo: [NSLocalizedDescriptionKey: "tmux \(arguments.joined(separator: " ")): \(text)"]) }
        return text
    }

    /// Sends keys in tmux's key syntax ("q", "Tab", "Enter", "Space", "C-c").
    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// The visible screen as text lines; with `history`, the scrolled-off lines above it too.
    func capture(history: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name] + (history ? ["-S", "-"] : []))
    }

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

    /// Whether the pane is on the alternate screen and whether its cursor is visible, as tmux
    /// tracks them from what the program wrote.
    func screenModes() throws -> (alternateScreen: Bool, cursorVisible: Bool) {
        let flags = try tmux(["display-message", "-p", "-t", name, "#{alternate_on} #{cursor_flag}"])
            .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return (flags.first == "1", flags.last == "1")
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
