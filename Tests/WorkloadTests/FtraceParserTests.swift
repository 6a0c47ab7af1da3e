import Foundation
import XCTest
@testable import Workload

final class FtraceParserTests: XCTestCase {
    func testFormatVariants() {
        let t = parse("""
        # tracer: nop
        #
                    cat-1234    [001] .... 12345.678901: mm_filemap_add_to_page_cache: dev 254:0 ino 2a page=0000000012345678 pfn=1234 ofs=8192
                    cat-1234    [001] .... 12345.678902: mm_filemap_add_to_page_cache: dev 254:0 ino 2a page=00000000c0ffee00 pfn=0x1234 ofs=12288
                    cat-1234    [001] ..... 12345.678903: mm_filemap_add_to_page_cache: dev 254:0 ino 2a pfn=0x1234 ofs=16384 order=2
                    cat-1234    [001] ..... 12345.678904: mm_filemap_delete_from_page_cache: dev 254:0 ino 2a pfn=0x1234 ofs=16384 order=2
                    cat-1234    [001] ..... 12345.678905: mm_filemap_get_pages: dev=254:0 ino=2a ofs=0-131071
                    cat-1234    [001] ..... 12345.678906: mm_filemap_map_pages: dev=254:0 ino=2a ofs=0 max_ofs=61440
                    cat-1234    [001] ..... 12345.678907: mm_filemap_get_pages: dev 254:0 ino 2a ofs=4096 max_ofs=4096
                    cat-1234    [001] ..... 12345.678908: mm_filemap_fault: dev=254:0 ino=2a ofs=4096
                    cat-1234    [001] ..... 12345.678909: mm_filemap_fault: dev=254:0 ino=0x2A ofs=8191
        """)
        XCTAssertEqual(t.format, .ftrace)
        XCTAssertEqual(t.diagnostics, [])
        let f = FileRef.nid(0x2a), d = "254:0"
        XCTAssertEqual(t.kinds, [
            .pageAdd(file: f, device: d, page: 2, count: 1),
            .pageAdd(file: f, device: d, page: 3, count: 1),
            .pageAdd(file: f, device: d, page: 4, count: 4),
            .pageDelete(file: f, device: d, page: 4, count: 4),
            .getPages(.file(f, device: d), first: 0, last: 31),
            .mapPages(.file(f, device: d), first: 0, last: 15),
            .getPages(.file(f, device: d), first: 1, last: 1),
            .fault(.file(f, device: d), page: 1),
            .fault(.file(f, device: d), page: 1),
        ])
        XCTAssertEqual(t.events[0].pid, 1234)
        XCTAssertEqual(t.events[0].time!, 12345.678901, accuracy: 1e-9)
        XCTAssertEqual(t.events[0].line, 3)
        XCTAssertEqual(t.metadata.devicesSeen, ["254:0"])
    }

    func testPrefixVariants() {
        let t = parse("""
         Web Content-5678 [000] d..2. 100.5: mm_filemap_fault: dev=8:1 ino=10 ofs=0
                 cat-19788 (  19788) [000] ..... 1.0: mm_filemap_fault: dev=8:1 ino=10 ofs=0
                 cat-19788 [000]  15211.831665: mm_filemap_fault: dev=8:1 ino=10 ofs=0
                 cat 19788 [000] 15211.831665: filemap:mm_filemap_fault: dev=8:1 ino=10 ofs=0
             kworker/u8:2-99 [001] ..... 7.25: mm_filemap_fault: dev=8:1 ino=10 ofs=0
        """, .ftrace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.events.map(\.pid), [5678, 19788, 19788, 19788, 99])
        XCTAssertEqual(t.events.map(\.time), [100.5, 1.0, 15211.831665, 15211.831665, 7.25])
    }

    func testOtherEventsIgnoredAndLostEventsWarn() {
        let t = parse("""
                 cat-1 [000] ..... 1.0: sched_switch: prev_comm=cat prev_pid=1 ==> next_comm=swapper/0
                 cat-1 [000] ..... 1.0: filemap_set_wb_err: dev=7:0 ino=0x29 errseq=0x0
        CPU:1 [LOST 1234 EVENTS]
                 cat-1 [000] ..... 1.0: mm_filemap_fault: dev=8:1 ino=10 ofs=0
        """, .ftrace)
        XCTAssertEqual(t.errors, [])
        XCTAssertEqual(t.warnings.map(\.line), [3])
        XCTAssertEqual(t.events.count, 1)
        XCTAssertEqual(t.summary.ignoredLines, 2)
    }

    func testMalformedLines() {
        let ok = "          cat-1 [000] ..... 1.0: mm_filemap_fault: dev=8:1 ino=10 ofs=0\n"
        let pre = "          cat-1 [000] ..... 1.0: "
        assertMalformed(ok + "garbage", .ftrace, line: 2, contains: "not an ftrace event")
        assertMalformed(ok + "          cat-1234  [001] .... 12345.67", .ftrace, line: 2, contains: "not an ftrace event")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ino= ofs=0", .ftrace, line: 2, contains: "malformed ino")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ofs=0", .ftrace, line: 2, contains: "lacks")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ino=zz ofs=0", .ftrace, line: 2, contains: "malformed ino")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ino=1ffffffffffffffff ofs=0", .ftrace, line: 2, contains: "ino out of range")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=81 ino=10 ofs=0", .ftrace, line: 2, contains: "malformed dev")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ino=10 ofs=-4096", .ftrace, line: 2, contains: "negative")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ino=10 ofs=99999999999999999999999", .ftrace, line: 2, contains: "out of range")
        assertMalformed(ok + pre + "mm_filemap_fault: dev=8:1 ino=10 ofs=9223372036854775808", .ftrace, line: 2, contains: "out of range")
        assertMalformed(ok + pre + "mm_filemap_add_to_page_cache: dev 8:1 ino 10 pfn=0x1 ofs=0 order=99", .ftrace, line: 2, contains: "order")
        assertMalformed(ok + pre + "mm_filemap_map_pages: dev=8:1 ino=10 ofs=8192-0", .ftrace, line: 2, contains: "ends before")
        assertMalformed(ok + pre + "mm_filemap_map_pages: dev=8:1 ino=10 ofs=8192", .ftrace, line: 2, contains: "lacks an end")
        assertMalformed(ok + pre + "mm_filemap_map_pages: dev=8:1 ino=10 ofs=x-y", .ftrace, line: 2, contains: "malformed ofs")
    }

    /// Real capture on Linux 6.18 (see Fixtures/record-ftrace.sh): an erofs image (loop
    /// device 7:0) holding bin.dat (200000 bytes, nid 6272 = 0x1880), sub/numbers.txt
    /// (`seq 1 20000`, 108894 bytes, nid 41 = 0x29) and small.txt (6 bytes, nid 6380 =
    /// 0x18ec) — nids from `stat -c %i` at capture time. `cat numbers.txt`, `cat small.txt`,
    /// then python mmaps bin.dat and touches every 7th page; then the image is unmounted.
    func testRealCapture() throws {
        let t = try parseTrace(contentsOf: fixture("ftrace-erofs-filemap.txt"))
        XCTAssertEqual(t.format, .ftrace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.metadata.devicesSeen, ["7:0"])
        var added: [UInt64: Set<UInt64>] = [:], deleted: [UInt64: Set<UInt64>] = [:]
        for e in t.events {
            switch e.kind {
            case .pageAdd(.nid(let n), "7:0", let page, let count):
                for p in page..<(page + count) { XCTAssertTrue(added[n, default: []].insert(p).inserted) }
            case .pageDelete(.nid(let n), "7:0", let page, let count):
                for p in page..<(page + count) { XCTAssertTrue(deleted[n, default: []].insert(p).inserted) }
            default: break
            }
        }
        XCTAssertEqual(added[6272], Set(0..<49))   // ceil(200000 / 4096): all pages, via fault-around
        XCTAssertEqual(added[41], Set(0..<27))     // ceil(108894 / 4096)
        XCTAssertEqual(added[6380], [0])
        for (nid, pages) in added { XCTAssertEqual(deleted[nid], pages, "umount evicts nid \(nid)") }
        XCTAssertTrue(t.kinds.contains(.getPages(.file(.nid(41), device: "7:0"), first: 0, last: 31)))
        XCTAssertTrue(t.kinds.contains(.fault(.file(.nid(6272), device: "7:0"), page: 0)))
        XCTAssertEqual(t.summary.eventsByKind[.map], 3)
        let umountPids = Set(t.events.filter { if case .pageDelete = $0.kind { return true } else { return false } }.compactMap(\.pid))
        XCTAssertEqual(umountPids.count, 1)
    }
}
