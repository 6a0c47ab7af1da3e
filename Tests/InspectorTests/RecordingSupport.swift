import EROFS
import Foundation
import Recorder
import XCTest

/// Records a command on a fresh kernel mount of one image (cold cache) into a temporary native
/// trace; skips the test when recording is not possible here (not root, no tracefs, no EROFS).
enum TestRecording {
    static func record(image: String, container: String, name: String, _ command: [String],
                       file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard geteuid() == 0 else { throw XCTSkip("recording needs root (mount and ftrace); skipped") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("erofs-top-\(name)-\(getpid()).jsonl")
        let plan = RecordingPlan(containers: [.init(name: container, image: ImageSpec(path: image))],
                                 command: command, duration: 60, dropCaches: true, output: out.path)
        do {
            let summary = try Recorder.record(plan)
            XCTAssertEqual(summary.commandStatus, 0, "\(name): \(command) failed", file: file, line: line)
        } catch let error as RecordError {
            throw XCTSkip("cannot record here: \(error)")
        }
        return out
    }
}
