import EROFS
import Foundation
import Workload
import XCTest
@testable import Inspector

/// A raw ftrace capture of two EROFS mounts at once, with unrelated devices in it
/// (Tests/Fixtures/strace-startups/record-multidev.sh): bound with `--trace-dev`, each image's
/// page events replay in its own container and equal the kernel's additions on its device;
/// without it the trace is refused with the device list.
final class TraceDeviceBindingTests: XCTestCase {
    static let fixtures = StraceStartupFidelityTests.fixtures

    func capture() throws -> (URL, [String: String]) {
        let out = URL(fileURLWithPath: NSTemporaryDirectory() + "erofs-top-multidev-\(getpid()).ftrace")
        guard StraceStartupFidelityTests.run("/bin/gzip", ["-dc", Self.fixtures.appendingPathComponent("multidev.ftrace.gz").path], output: out) == 0 else {
            throw XCTSkip("gzip missing")
        }
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("multidev.devices"), encoding: .utf8)
        var devices: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            if f.count == 2 { devices[f[1]] = f[0] }
        }
        return (out, devices)
    }

    /// The kernel's additions per device, counted from the raw lines (pages = 2^order).
    func kernelPages(_ url: URL) throws -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where line.contains("mm_filemap_add_to_page_cache:") {
            let words = line.split(separator: " ")
            guard let d = words.firstIndex(of: "dev"), d + 1 < words.count,
                  let o = words.first(where: { $0.hasPrefix("order=") }), let order = UInt64(o.dropFirst(6)) else { continue }
            out[String(words[d + 1]), default: 0] += 1 << order
        }
        return out
    }

    func config(_ dir: String, _ trace: URL, devices: [String: String]) -> SessionConfiguration {
        var config = SessionConfiguration(images: [ImageSpec(path: dir + "/plain.erofs"), ImageSpec(path: dir + "/lz4hc.erofs")])
        config.containers = [SessionContainer(name: "np", image: 0), SessionContainer(name: "ym", image: 1)]
        var input = TraceInput(url: trace)
        input.devices = devices
        config.traces = [input]
        config.replayPageEvents = true
        return config
    }

    func testTraceDevBindsEachDeviceToItsContainer() throws {
        let dir = try StraceStartupFidelityTests.images()
        let (trace, devices) = try capture()
        defer { try? FileManager.default.removeItem(at: trace) }
        let kernel = try kernelPages(trace)
        XCTAssertGreaterThan(kernel.count, 2, "the capture has unrelated devices too")
        let s = try Session(config(dir, trace, devices: devices), designs: [.none])
        try s.runToEnd()
        let report = s.report(sharing: false)
        for (i, name) in ["np", "ym"].enumerated() {
            let device = devices.first { $0.value == name }!.key
            XCTAssertEqual(report.policies[0].containers[i].chargedBytes / 4096, kernel[device], "\(name) on \(device)")
        }
        XCTAssertGreaterThan(s.timelineDiagnostics.unknownContainer, 0, "other devices' events are left out")
        XCTAssertEqual(s.timelineDiagnostics.outsideImage, 0, "every bound event names a file of its own image")
    }

    func testRawMultiDeviceTraceWithoutTraceDevIsRefused() throws {
        let dir = try StraceStartupFidelityTests.images()
        let (trace, devices) = try capture()
        defer { try? FileManager.default.removeItem(at: trace) }
        XCTAssertThrowsError(try Session(config(dir, trace, devices: [:]), designs: [.none])) { error in
            let text = "\(error)"
            XCTAssertTrue(error is TraceBindingError, text)
            for d in devices.keys { XCTAssertTrue(text.contains(d), "lists \(d): \(text)") }
            XCTAssertTrue(text.contains("--trace-dev"))
        }
    }

    func testTraceCmdReportLines() {
        let t = parse(text: """
        cpus=2
                  python3-1234  [001]  3554.889406: mm_filemap_add_to_page_cache: dev 7:0 ino 2a pfn=0x1 ofs=0 order=0
                  python3-1234  [001] d..1. 3554.889407: mm_filemap_add_to_page_cache: dev 7:0 ino 2a pfn=0x1 ofs=8192 order=2
        """)
        XCTAssertEqual(t.diagnostics.filter { $0.severity == .error }, [])
        XCTAssertEqual(t.events.map(\.kind), [.pageAdd(file: .nid(0x2a), device: "7:0", page: 0, count: 1),
                                              .pageAdd(file: .nid(0x2a), device: "7:0", page: 2, count: 4)])
    }

    func parse(text: String) -> ParsedTrace { (try? parseTrace(text: text, format: .ftrace))! }
}
