import Foundation
import XCTest

/// A fatal error while the UI runs, with the real binary in a real terminal (tmux): the terminal
/// is given back (alternate screen left, cursor shown, echo and canonical input on), then the
/// error is printed on the ordinary screen and the exit status is 1 (an error in an image).
final class FatalErrorEndToEndTests: XCTestCase {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Sources/CLI/Samples").standardizedFileURL.path
    var binary: String { DemoEndToEndTests.binary }
    var folder: String!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("\(binary) is not built (run `swift build --build-tests` first)")
        }
        folder = try CLI.temporaryDirectory("fatal-ui")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Copies the v1 sample image and the layer blobs it finds by tag next to it.
    func copySampleImage() throws -> String {
        for name in ["requests-v1.erofs", "layer-python.erofs", "layer-requests-2.31.erofs"] {
            try FileManager.default.copyItem(atPath: Self.samples + "/" + name, toPath: folder + "/" + name)
        }
        return folder + "/requests-v1.erofs"
    }

    func testImageTruncatedDuringTheReplayEndsTheUIAndTheErrorFollowsTheRestore() throws {
        let image = try copySampleImage()
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: image)[.size] as? NSNumber).intValue
        let trace = Self.samples + "/traces/startup-v1.ftrace"
        let tmux = try TmuxSession(command: "\(binary) \(image) --trace \(trace) --speed 0.001", epilogue: "stty -a")
        try tmux.waitFor(30, "the dashboard replaying") { $0.contains("policy:") && $0.contains("events") }
        // Pause, cut the image short under the running replay, resume: the next file the trace
        // opens can no longer be read.
        try tmux.send("Space")
        try tmux.waitFor(10, "the pause marker") { $0.split(separator: "\n").first?.contains("PAUSE") ?? false }
        XCTAssertEqual(truncate(image, 8192), 0)
        try tmux.send("Space")

        let screen = try tmux.waitForExitAndTTYModes()
        XCTAssertEqual(TmuxSession.exitStatus(screen), 1, screen)
        try tmux.assertTerminalRestored(screen)
        let flat = screen.replacingOccurrences(of: "\n", with: "")
        XCTAssertTrue(flat.contains("erofs-top: replay stopped: \(image) changed on disk after the replay started (\(size) bytes then, 8192 now)"), screen)
        // On the ordinary screen, before the shell's next line: printed after the UI was gone.
        let error = try XCTUnwrap(TmuxSession.lineIndex(of: "erofs-top: replay stopped", in: screen), screen)
        XCTAssertLessThan(error, try XCTUnwrap(TmuxSession.lineIndex(of: "EXIT-STATUS=", in: screen)))
    }

    func testAStrictTraceErrorAfterTheTerminalOpenedIsPrintedOnTheRestoredTerminal() throws {
        // The terminal opens before the session is built (so a missing TERM fails fast); the trace
        // is parsed after, with the UI's terminal already set up.
        let trace = folder + "/bad.jsonl"
        try "{\"t\":0,\"c\":\"v1\",\"ev\":\"open\",\"path\":\"/usr/bin/python3\",\"fd\":3}\nnot json at all\n"
            .write(toFile: trace, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(command: "\(binary) \(Self.samples)/requests-v1.erofs --trace \(trace) --strict", epilogue: "stty -a")
        let screen = try tmux.waitForExitAndTTYModes()
        XCTAssertEqual(TmuxSession.exitStatus(screen), 1, screen)
        try tmux.assertTerminalRestored(screen)
        XCTAssertTrue(screen.contains("erofs-top: malformed line 2"), screen)
    }
}
