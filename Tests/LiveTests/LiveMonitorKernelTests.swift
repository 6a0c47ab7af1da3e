import EROFS
import FixtureSupport
import Foundation
import Inspector
@testable import Live
import Recorder
import XCTest

/// The live engine on a real kernel mount: residency equals fincore's, and the kernel's events
/// count misses on the first read and hits on the second (as cachestat counts them).
final class LiveMonitorKernelTests: XCTestCase {
    func testResidencyHitsAndMissesOnAFileBackedMount() throws {
        let image = FixturePaths.samples + "/requests-v1.erofs"
        let m = try TestMount(image: image, name: "monitor")
        defer { m.close() }
        let table = try MountTable.read().filter { $0.mountPoint == m.mountPoint }
        XCTAssertEqual(table.count, 1, "the test mount is in this thread's mount table")
        let inventory = LiveInventory.discover(table: table)
        XCTAssertEqual(inventory.mounts.first?.imagePath, image)
        let monitor = try LiveMonitor(inventory: inventory)
        defer { monitor.close() }
        guard monitor.stream != nil else { throw XCTSkip("no event stream here: \(monitor.notes)") }
        let catalog = monitor.session.catalogs[0]
        XCTAssertEqual(monitor.scans[0].residentBytes, 0, "a fresh mount starts with an empty cache")

        let files = catalog.entries.filter { $0.type == .regular && $0.size > 0 }.prefix(12)
        var pages: UInt64 = 0
        for f in files {
            XCTAssertEqual(try readWhole(m.mountPoint + f.path), Int(f.size))
            pages += (f.size + 4095) / 4096
        }
        usleep(300_000)
        try monitor.pump()
        monitor.rescan()
        let first = monitor.closeInterval()[0]
        let allFiles = catalog.entries.filter { $0.type == .regular }.map { m.mountPoint + $0.path }
        let fincore = try fincoreBytes(allFiles)
        XCTAssertEqual(monitor.scans[0].residentBytes, fincore, "residency by mincore equals fincore's")
        XCTAssertEqual(monitor.scans[0].residentBytes, pages * 4096, "whole files read, nothing else")
        // cachestat(2) (Linux 6.5) counts the same pages per file.
        var compared = 0, cachedByCachestat: UInt64 = 0
        for (i, e) in catalog.entries.enumerated() where e.type == .regular && e.size > 0 {
            guard let cached = cachestatPages(m.mountPoint + e.path) else { break }
            XCTAssertEqual(UInt64(monitor.scans[0].residentPages[i]), cached, "\(e.path): mincore and cachestat agree")
            compared += 1
            cachedByCachestat += cached
        }
        if compared > 0 { XCTAssertEqual(cachedByCachestat, pages) }
        XCTAssertEqual(first.misses - first.metadataMisses, pages, "every page read was added, once")

        for f in files { try readWhole(m.mountPoint + f.path) }
        usleep(300_000)
        try monitor.pump()
        let second = monitor.closeInterval()[0]
        XCTAssertEqual(second.misses, 0, "the second read finds everything cached")
        XCTAssertEqual(second.hits, pages, "the second read hits every page once")

        let report = monitor.session.report(sharing: false)
        let none = try XCTUnwrap(report.policies.first { $0.design == .none })
        XCTAssertEqual(Double(none.chargedBytes), Double(first.misses * 4096), accuracy: Double(first.misses * 4096) * 0.1,
                       "the none model fed the kernel's events charges what the kernel added")
        XCTAssertGreaterThan(none.hits, 0)
    }

    func testStaleInstanceIsSweptAtStart() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root (ftrace); skipped") }
        let tracefs: String
        do { tracefs = try FtraceInstance.tracefs() } catch { throw XCTSkip("no tracefs: \(error)") }
        // A PID that is certainly not running: a child that already exited.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let stale = tracefs + "/instances/erofs-top-live-\(p.processIdentifier)"
        XCTAssertEqual(mkdir(stale, 0o755), 0, "created a stale instance \(stale)")
        let image = FixturePaths.samples + "/python-base.erofs"
        let m = try TestMount(image: image, name: "sweep")
        defer { m.close() }
        let monitor = try LiveMonitor(inventory: LiveInventory.discover(table: try MountTable.read().filter { $0.mountPoint == m.mountPoint }))
        defer { monitor.close() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "the stale instance was removed")
        XCTAssertTrue(monitor.notes.contains { $0.contains(stale) }, "and named: \(monitor.notes)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: tracefs + "/instances/erofs-top-live-\(getpid())"), "our own instance runs")
        monitor.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: tracefs + "/instances/erofs-top-live-\(getpid())"), "and is removed by close()")
    }
}

@_silgen_name("syscall") private func rawSyscall4(_ number: Int, _ a: Int, _ b: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer, _ d: Int) -> Int

/// Pages of a file in the page cache by cachestat(2) (syscall 451 on x86_64 and arm64), nil
/// where the kernel has none.
func cachestatPages(_ path: String) -> UInt64? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var range: (UInt64, UInt64) = (0, 0)       // off, len (0: to the end)
    var stat: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // nr_cache first
    let result = withUnsafeMutablePointer(to: &range) { r in withUnsafeMutablePointer(to: &stat) { s in rawSyscall4(451, Int(fd), r, s, 0) } }
    return result == 0 ? stat.0 : nil
}
