import EROFS
import Foundation
import Workload
import XCTest
@testable import Inspector

final class TimelineTests: XCTestCase {
    func testKernelRecordedSampleTraceBindsToTheImage() throws {
        let catalog = try Samples.catalog("requests-v1.erofs")
        var builder = TimelineBuilder(containers: [SessionContainer(name: "v1", image: 0)], catalogs: [catalog])
        try builder.add(TraceInput(url: Samples.url("traces/startup-v1.ftrace"), container: "v1"))
        let steps = builder.build()
        XCTAssertEqual(builder.diagnostics.malformedLines, 0)
        XCTAssertEqual(builder.diagnostics.outsideImage, 0, "every inode the kernel reported is a nid of the image")
        XCTAssertGreaterThan(steps.count, 1000)
        XCTAssertEqual(steps.first?.time, 0)
        XCTAssertTrue(zip(steps, steps.dropFirst()).allSatisfy { $0.time <= $1.time })
        // The interpreter was faulted in through mmap; its nid is in the trace.
        let python = try catalog.image.resolve("/usr/bin/python3.11", followFinalSymlink: true).nid
        XCTAssertTrue(steps.contains { if case .fault(let f, _) = $0.action { return f.nid == python } else { return false } })
        // Directory pages were added as the path lookups read them.
        let root = catalog.image.rootNID
        XCTAssertTrue(steps.contains { if case .pageAdd(let f, _, _) = $0.action { return f.nid == root } else { return false } })
    }

    func testStracePathsMapThroughTheMountPoint() throws {
        let catalog = try Samples.catalog("python-base.erofs")
        let text = """
        100 12:00:00.000001 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
        100 12:00:00.000002 read(3, "x", 4096) = 1
        100 12:00:00.000003 close(3) = 0
        100 12:00:00.000004 openat(AT_FDCWD, "/run/mnt/base/usr/bin/python3.11", O_RDONLY) = 3
        100 12:00:00.000005 read(3, "\\177ELF", 832) = 832
        100 12:00:00.000006 mmap(NULL, 150000, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000
        100 12:00:00.000007 close(3) = 0
        """
        let trace = try parseTrace(text: text, format: .strace)
        for root in [nil, "/run/mnt/base"] as [String?] {
            var builder = TimelineBuilder(containers: [SessionContainer(name: "c", image: 0)], catalogs: [catalog])
            builder.add(trace, input: TraceInput(url: URL(fileURLWithPath: "/x.strace"), root: root))
            let all = builder.build().map(\.action)
            let nid = try catalog.image.resolve("/usr/bin/python3.11", followFinalSymlink: true).nid
            // The path lookup reads /, /usr and /usr/bin (once each) before the open.
            let dirs = try ["/", "/usr", "/usr/bin"].map { SessionFile(image: 0, nid: try catalog.image.resolve($0, followFinalSymlink: true).nid) }
            XCTAssertEqual(Array(all.prefix(3)), dirs.map { .readDirectory($0) })
            let actions = Array(all.dropFirst(3))
            XCTAssertEqual(actions.count, 4, "host file /etc/ld.so.cache is dropped; \(actions)")
            guard case .open(let f, let h) = actions[0] else { return XCTFail("\(actions)") }
            XCTAssertEqual(f, SessionFile(image: 0, nid: nid))
            XCTAssertEqual(actions[1], .read(handle: h, offset: 0, length: 832))
            XCTAssertEqual(actions[2], .mmap(handle: h, offset: 0, length: 150000))
            XCTAssertEqual(actions[3], .close(handle: h))
            XCTAssertEqual(builder.diagnostics.outsideImage, 1)
        }
    }

    func testPathsAlreadyNormalAreKeptAndOthersRebuilt() {
        for path in ["", "/", "//", "/a", "/a/", "a", "a/b", "/a//b", "/usr/lib/x.py", "///x", "/x/", "/é/ü"] {
            let rebuilt = "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
            XCTAssertEqual(PathMapping.normalize(path), rebuilt, path)
        }
    }

    func testReadAllReadsEveryFileOnceWithCatSizedReads() throws {
        let catalog = try Samples.catalog("python-base.erofs")
        var builder = TimelineBuilder(containers: [SessionContainer(name: "a", image: 0), SessionContainer(name: "b", image: 0)], catalogs: [catalog])
        builder.add(.readAll, container: 0)
        builder.add(.readAll, container: 1)
        let steps = builder.build()
        let opens = steps.filter { if case .open = $0.action { return true } else { return false } }
        XCTAssertEqual(opens.count, 2 * catalog.regularFiles.count)
        let lastOfA = steps.lastIndex { $0.container == 0 }!
        let firstOfB = steps.firstIndex { $0.container == 1 }!
        XCTAssertLessThan(lastOfA, firstOfB, "containers run one after the other")
        var bytes: UInt64 = 0
        for s in steps where s.container == 0 { if case .read(_, _, let n) = s.action { bytes += min(n, 128 << 10) } }
        let total = catalog.regularFiles.reduce(UInt64(0)) { $0 + catalog.entries[$1].size }
        XCTAssertGreaterThanOrEqual(bytes, total)
    }
}
