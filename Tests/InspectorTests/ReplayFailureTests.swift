import EROFS
import Foundation
import XCTest
@testable import Inspector

/// A replay whose image changes on disk stops with a `ReplayFailure` instead of leaving the
/// files it can no longer read out of the numbers; an image that is only unlinked (still open,
/// still readable) replays to the end.
final class ReplayFailureTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("erofs-top-replay-failure-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The merged image and the layer blobs it finds by tag in its own folder.
        for name in ["requests-v1.erofs", "layer-python.erofs", "layer-requests-2.31.erofs"] {
            try FileManager.default.copyItem(at: Samples.url(name), to: folder.appendingPathComponent(name))
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    var image: String { folder.appendingPathComponent("requests-v1.erofs").path }

    func session() throws -> Session {
        var config = SessionConfiguration(images: [ImageSpec(path: image)])
        config.containers = [SessionContainer(name: "v1", image: 0)]
        config.traces = [TraceInput(url: Samples.url("traces/startup-v1.ftrace"))]
        return try Session(config, designs: [.none, .blob])
    }

    func testTruncatingTheImageMidReplayStopsTheReplayWithTheReason() throws {
        let s = try session()
        let originalSize = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: image)[.size] as? Int)
        try s.run(steps: 50)
        XCTAssertNil(s.failure)
        XCTAssertEqual(truncate(image, 8192), 0)

        XCTAssertThrowsError(try s.runToEnd()) { error in
            let failure = error as? ReplayFailure
            XCTAssertNotNil(failure, "\(error)")
            let text = "\(error)"
            XCTAssertTrue(text.contains("\(image) changed on disk after the replay started (\(originalSize) bytes then, 8192 now)"), text)
            // The read that revealed it: past the new end of the file, either as a short read or
            // (inodes kept from the catalog walk) as an index past the end of the image.
            XCTAssertTrue(text.contains("[truncated]") || text.contains("past the end"), "the read error that revealed it: \(text)")
        }
        XCTAssertNotNil(s.failure)
        XCTAssertFalse(s.isFinished, "the replay stopped where the image could no longer be read")
        let position = s.position
        XCTAssertThrowsError(try s.step(), "every later step fails the same way")
        XCTAssertEqual(s.position, position)
        XCTAssertTrue(s.unreadableFiles.isEmpty, "a changed image is not a per-file problem")
    }

    func testAnUnlinkedImageStillReplaysToTheEnd() throws {
        let expected = try session()
        try expected.runToEnd()
        let s = try session()
        try s.run(steps: 50)
        try FileManager.default.removeItem(atPath: image)
        try s.runToEnd()
        XCTAssertNil(s.failure)
        XCTAssertEqual(s.report().policies.map(\.chargedBytes), expected.report().policies.map(\.chargedBytes))
    }
}
