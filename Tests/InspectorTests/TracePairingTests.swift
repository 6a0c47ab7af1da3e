import EROFS
import Foundation
import XCTest
@testable import Inspector

/// `SessionConfiguration.addTraces`: which container each recorded trace is replayed in.
final class TracePairingTests: XCTestCase {
    private func configuration(containers: [String]) -> SessionConfiguration {
        var config = SessionConfiguration(images: containers.map { ImageSpec(path: "/images/\($0).erofs") })
        config.containers = containers.enumerated().map { SessionContainer(name: $1, image: $0) }
        return config
    }

    func testNTracesForNContainersPairUpInOrder() throws {
        var config = configuration(containers: ["a", "b", "c"])
        try config.addTraces(["1", "2", "3"].map { TraceRequest(path: "/t/\($0).log") })
        XCTAssertEqual(config.traces.map(\.container), ["a", "b", "c"])
        XCTAssertEqual(config.traces.map(\.url.lastPathComponent), ["1.log", "2.log", "3.log"])
        XCTAssertFalse(config.traces.contains { $0.eachContainerInTurn })
    }

    func testOneTraceForSeveralContainersRunsInEachInTurnUnlessDevicesBindIt() throws {
        var config = configuration(containers: ["a", "b"])
        try config.addTraces([TraceRequest(path: "/t/one.log")])
        XCTAssertEqual(config.traces.count, 1)
        XCTAssertNil(config.traces[0].container)
        XCTAssertTrue(config.traces[0].eachContainerInTurn)

        var bound = configuration(containers: ["a", "b"])
        try bound.addTraces([TraceRequest(path: "/t/raw.ftrace")], devices: ["7:0": "a", "7:1": "b"])
        XCTAssertFalse(bound.traces[0].eachContainerInTurn, "a raw capture is bound by its devices")
        XCTAssertEqual(bound.traces[0].devices, ["7:0": "a", "7:1": "b"])

        var single = configuration(containers: ["a"])
        try single.addTraces([TraceRequest(path: "/t/one.log")])
        XCTAssertFalse(single.traces[0].eachContainerInTurn, "one container: nothing to take turns")
    }

    func testNamedTracesKeepTheirContainerAndTheOthersPairWithNone() throws {
        var config = configuration(containers: ["a", "b"])
        try config.addTraces([TraceRequest(container: "b", path: "/t/b.log"), TraceRequest(path: "/t/other.log")])
        XCTAssertEqual(config.traces.map(\.container), ["b", nil], "once one trace names its container, none pair by order")
        XCTAssertFalse(config.traces.contains { $0.eachContainerInTurn })
    }

    func testRootsApplyPerContainerWithADefault() throws {
        var config = configuration(containers: ["a", "b"])
        try config.addTraces([TraceRequest(path: "/t/a.log"), TraceRequest(path: "/t/b.log")],
                             roots: ["a": "/mnt/a", nil: "/mnt/any"], format: .strace, strict: true)
        XCTAssertEqual(config.traces.map(\.root), ["/mnt/a", "/mnt/any"])
        XCTAssertTrue(config.traces.allSatisfy { $0.format == .strace && $0.strict })
    }

    func testUnknownContainersAreRefusedWithTheirOption() {
        var config = configuration(containers: ["a", "b"])
        XCTAssertThrowsError(try config.addTraces([TraceRequest(container: "zz", path: "/t/x.log")])) { error in
            XCTAssertEqual((error as? ConfigurationError)?.message, "--trace: no container 'zz' (containers: a, b)")
        }
        XCTAssertThrowsError(try config.addTraces([TraceRequest(path: "/t/x.log")], roots: ["q": "/mnt"])) { error in
            XCTAssertEqual((error as? ConfigurationError)?.message, "--root: no container 'q' (containers: a, b)")
        }
        XCTAssertThrowsError(try config.addTraces([TraceRequest(path: "/t/x.log")], devices: ["7:0": "q"])) { error in
            XCTAssertEqual((error as? ConfigurationError)?.message, "--trace-dev: no container 'q' (containers: a, b)")
        }
        XCTAssertTrue(config.traces.isEmpty, "nothing added by a refused call")
    }
}
