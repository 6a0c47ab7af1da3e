import EROFS
import Foundation
import Workload
import XCTest
@testable import Inspector

/// Python startups replayed from strace logs alone against the kernel's page additions
/// (Tests/Fixtures/strace-startups: logs and kernel figures from `record.sh`, images rebuilt
/// by `make-tree.sh` from this machine's python3.11 and three PyPI wheels). The `numpy`
/// workload was used to choose the code-fault densities (`CodeFaultModel`); `yaml` and `stdlib`
/// were not (`stdlib` was recorded after the densities were fixed).
final class StraceStartupFidelityTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/strace-startups").standardizedFileURL
    /// Where the images are built (kept between runs: about a minute to make).
    static let imageDir = ProcessInfo.processInfo.environment["EROFS_TOP_STARTUP_IMAGES"] ?? NSTemporaryDirectory() + "erofs-top-strace-startups"
    static let mountRoot = "/tmp/wt12-mnt-startup"

    struct Figure { var workload: String; var kind: String; var readaheadKB: Int; var kernelFilePages: UInt64; var kernelAllPages: UInt64 }

    static func figures() throws -> [Figure] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("figures.tsv"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 5, let ra = Int(f[2]), let k = UInt64(f[3]), let all = UInt64(f[4]) else { return nil }
            return Figure(workload: f[0], kind: f[1], readaheadKB: ra, kernelFilePages: k, kernelAllPages: all)
        }
    }

    static func run(_ tool: String, _ args: [String], output: URL? = nil) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        if let output {
            FileManager.default.createFile(atPath: output.path, contents: nil)
            p.standardOutput = try? FileHandle(forWritingTo: output)
        } else {
            p.standardOutput = FileHandle.nullDevice
        }
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Builds the images if needed and checks that their ELF files are the recorded ones.
    static func images() throws -> String {
        let dir = imageDir
        if !FileManager.default.fileExists(atPath: dir + "/lz4hc.erofs") {
            guard FileManager.default.fileExists(atPath: "/usr/bin/python3.11") else { throw XCTSkip("needs Debian's /usr/bin/python3.11 to rebuild the startup images") }
            guard run("/bin/sh", [fixtures.appendingPathComponent("make-tree.sh").path, dir]) == 0 else {
                throw XCTSkip("make-tree.sh could not build the startup images (needs pip download from PyPI and mkfs.erofs)")
            }
        }
        let sums = URL(fileURLWithPath: NSTemporaryDirectory() + "erofs-top-startup-sha-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: sums) }
        let check = "cd '\(dir)/tree' && sha256sum -c --quiet '\(fixtures.appendingPathComponent("tree.sha256").path)'"
        guard run("/bin/sh", ["-c", check], output: sums) == 0 else {
            throw XCTSkip("the rebuilt tree differs from the recorded one (another python3.11 build?): the logs' figures do not apply")
        }
        return dir
    }

    static func log(_ f: Figure) throws -> URL {
        let out = URL(fileURLWithPath: NSTemporaryDirectory() + "erofs-top-\(f.workload)-\(f.kind)-\(f.readaheadKB)-\(getpid()).strace")
        let gz = fixtures.appendingPathComponent("\(f.workload)-\(f.kind)-\(f.readaheadKB).strace.gz")
        guard run("/bin/gzip", ["-dc", gz.path], output: out) == 0 else { throw XCTSkip("gzip missing") }
        return out
    }

    static func pages(_ image: String, _ log: URL, _ f: Figure, _ mode: MmapFaultEstimate) throws -> UInt64 {
        var config = SessionConfiguration(images: [ImageSpec(path: image)])
        config.traces = [TraceInput(url: log, root: mountRoot)]
        config.readaheadKB = f.readaheadKB
        config.mmapFaults = mode
        let s = try Session(config, designs: [.none])
        try s.runToEnd()
        return s.report(sharing: false).policies[0].containers[0].chargedBytes / 4096
    }

    /// From the strace log alone: the estimate within 10 % of the kernel's page additions to
    /// files, and low ≤ kernel ≤ high, for every image kind and both readahead settings.
    /// (EROFS's managed cache of compressed pclusters, in `kernelAllPages` for lz4hc, is not
    /// visible in a log and not estimated.)
    func testEstimateAndBoundsAgainstTheKernel() throws {
        let dir = try Self.images()
        var lines: [String] = []
        for f in try Self.figures() {
            let log = try Self.log(f)
            defer { try? FileManager.default.removeItem(at: log) }
            let image = "\(dir)/\(f.kind).erofs"
            let estimate = try Self.pages(image, log, f, .estimate)
            let low = try Self.pages(image, log, f, .low)
            let high = try Self.pages(image, log, f, .high)
            let error = (Double(estimate) - Double(f.kernelFilePages)) * 100 / Double(f.kernelFilePages)
            let name = "\(f.workload) \(f.kind) \(f.readaheadKB) KiB"
            lines.append("\(name): kernel \(f.kernelFilePages) estimate \(estimate) (\(String(format: "%+.1f", error)) %) low \(low) high \(high)")
            XCTAssertLessThanOrEqual(abs(error), 10, name)
            XCTAssertLessThanOrEqual(low, f.kernelFilePages, name)
            XCTAssertGreaterThanOrEqual(high, f.kernelFilePages, name)
            XCTAssertLessThanOrEqual(low, estimate, name)
            XCTAssertLessThanOrEqual(estimate, high, name)
        }
        print(lines.joined(separator: "\n"))
        XCTAssertEqual(lines.count, 18)
    }
}

/// A program and its dynamic loader both in the image (`chroot MNT /usr/bin/python3.11 -V`,
/// `make-chroot.sh` / `record-chroot.sh`): the kernel maps both without an mmap line. Held out
/// of all tuning, and it runs far less code than a startup, so the code-fault density
/// overestimates at 128 KiB; the bounds still hold.
final class StraceChrootFidelityTests: XCTestCase {
    func testProgramAndInterpreterFromTheImage() throws {
        let fixtures = StraceStartupFidelityTests.fixtures
        let dir = StraceStartupFidelityTests.imageDir
        guard StraceStartupFidelityTests.run("/bin/sh", [fixtures.appendingPathComponent("make-chroot.sh").path, dir]) == 0 else {
            throw XCTSkip("make-chroot.sh could not build the image (mkfs.erofs, ldd)")
        }
        let check = "cd '\(dir)/chroot-tree' && sha256sum -c --quiet '\(fixtures.appendingPathComponent("chroot.sha256").path)'"
        guard StraceStartupFidelityTests.run("/bin/sh", ["-c", check]) == 0 else { throw XCTSkip("this machine's python3.11 or libraries differ from the recorded ones") }
        let text = try String(contentsOf: fixtures.appendingPathComponent("figures-chroot.tsv"), encoding: .utf8)
        var rows = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 5, let ra = Int(f[2]), let kernel = UInt64(f[3]) else { continue }
            let figure = StraceStartupFidelityTests.Figure(workload: "chroot", kind: "plain", readaheadKB: ra, kernelFilePages: kernel, kernelAllPages: kernel)
            let log = URL(fileURLWithPath: NSTemporaryDirectory() + "erofs-top-chroot-\(ra)-\(getpid()).strace")
            defer { try? FileManager.default.removeItem(at: log) }
            XCTAssertEqual(StraceStartupFidelityTests.run("/bin/gzip", ["-dc", fixtures.appendingPathComponent("chroot-\(ra).strace.gz").path], output: log), 0)
            var config = SessionConfiguration(images: [ImageSpec(path: dir + "/chroot.erofs")])
            config.traces = [TraceInput(url: log)]
            config.readaheadKB = ra
            config.perFile = true
            var pages: [MmapFaultEstimate: UInt64] = [:]
            for mode in MmapFaultEstimate.allCases {
                config.mmapFaults = mode
                let s = try Session(config, designs: [.none])
                try s.runToEnd()
                let c = s.report(sharing: false).policies[0].containers[0]
                pages[mode] = c.chargedBytes / 4096
                if mode == .estimate {
                    XCTAssertTrue(c.files!.contains { $0.path.hasSuffix("ld-linux-x86-64.so.2") && $0.addedPages > 10 }, "PT_INTERP mapped: \(c.files!)")
                }
            }
            XCTAssertLessThanOrEqual(pages[.low]!, kernel, "\(ra)")
            XCTAssertGreaterThanOrEqual(pages[.high]!, kernel, "\(ra)")
            XCTAssertGreaterThanOrEqual(pages[.estimate]!, pages[.low]!)
            XCTAssertLessThanOrEqual(pages[.estimate]!, pages[.high]!)
            print("chroot python3.11 -V \(ra) KiB: kernel \(kernel) estimate \(pages[.estimate]!) low \(pages[.low]!) high \(pages[.high]!)")
            rows += 1
        }
        XCTAssertEqual(rows, 2)
    }
}
