import Foundation
import XCTest
@testable import Workload

final class StraceParserTests: XCTestCase {
    /// Hand-written `-f -tt` log with known answers (see comments for each expectation).
    let handLog = #"""
    100 10:00:00.000001 openat(AT_FDCWD, "/usr/lib/x.py", O_RDONLY|O_CLOEXEC) = 3
    100 10:00:00.000002 read(3, "abc\"def\\", 4096) = 4096
    100 10:00:00.000003 read(3, "a) = 5, \"x\", 9) = 7"..., 4096) = 100
    100 10:00:00.000004 pread64(3, "\177ELF", 832, 64) = 832
    100 10:00:00.000005 mmap(NULL, 2101496, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_DENYWRITE, 3, 0x1000) = 0x7f0000000000
    100 10:00:00.000006 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000100000
    101 10:00:00.000007 openat(AT_FDCWD, "/missing", O_RDONLY) = -1 ENOENT (No such file or directory)
    101 10:00:00.000008 openat(AT_FDCWD, "rel/file.txt", O_RDONLY) = 3
    100 10:00:00.000009 read(3,  <unfinished ...>
    101 10:00:00.000010 read(3, "zz", 2) = 2
    100 10:00:00.000011 <... read resumed>"q\")", 4096) = 10
    101 10:00:00.000012 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=102, si_uid=0} ---
    100 10:00:00.000013 close(3) = 0
    101 10:00:00.000014 +++ exited with 0 +++
    100 10:00:00.000015 read(0, "x", 1) = 1
    100 10:00:00.000016 read(3, "x", 1) = -1 EBADF (Bad file descriptor)
    100 10:00:00.000017 write(1, "hello", 5) = 5
    """#

    func testHandWrittenLog() {
        let t = parse(handLog)
        XCTAssertEqual(t.format, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/usr/lib/x.py"), handle: 1),
            .read(handle: 1, offset: 0, length: 4096),           // returned count
            .read(handle: 1, offset: 4096, length: 100),         // quotes/parens in data ignored
            .pread(handle: 1, offset: 64, length: 832),
            .mmap(handle: 1, offset: 0x1000, length: 2101496, address: 0x7f00_0000_0000),
            // anonymous mmap (fd -1) ignored; failed openat ignored
            .open(file: .path("rel/file.txt"), handle: 2),       // relative kept as given
            .read(handle: 2, offset: 0, length: 2),              // pid 101's own fd 3
            .read(handle: 1, offset: 4196, length: 10),          // unfinished + resumed joined
            .close(handle: 1),
            .close(handle: 2),                                   // pid 101's exit closes its fds
            // read(0) on an fd never opened, failed read, write: ignored
        ])
        XCTAssertEqual(t.events.map(\.pid), [100, 100, 100, 100, 100, 101, 101, 100, 100, 101])
        XCTAssertEqual(t.events[0].time!, 36000.000001, accuracy: 1e-9)
        XCTAssertEqual(t.events[7].line, 11) // joined call is reported at the resumed line
        XCTAssertEqual(t.summary.ignoredLines, 8)
        XCTAssertEqual(t.summary.eventsByKind[.read], 4)
    }

    func testNoPidNoTimestamp() {
        let t = parse("""
        openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3
        read(3, "vm\\n", 131072) = 3
        read(3, "", 131072) = 0
        close(3) = 0
        """, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [.open(file: .path("/etc/hostname"), handle: 1), .read(handle: 1, offset: 0, length: 3), .close(handle: 1)])
        XCTAssertNil(t.events[0].pid)
        XCTAssertNil(t.events[0].time)
    }

    func testBracketPidPrefixAndTimestampVariants() {
        let t = parse("""
        [pid  4242] 1700000000.250000 openat(AT_FDCWD, "/a", O_RDONLY) = 5
        [pid  4242] 1700000000.500000 close(5) = 0
        """, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.events.map(\.pid), [4242, 4242])
        XCTAssertEqual(t.events.map(\.time), [1700000000.25, 1700000000.5])
        let s = parse("12:34:56 openat(AT_FDCWD, \"/a\", O_RDONLY) = 5", .strace)
        XCTAssertEqual(s.events.first?.time, 12 * 3600 + 34 * 60 + 56)
    }

    func testMidnightWrap() {
        let t = parse("""
        1 23:59:59.900000 openat(AT_FDCWD, "/a", O_RDONLY) = 3
        1 00:00:00.100000 close(3) = 0
        """, .strace)
        XCTAssertEqual(t.events[1].time!, 86400.1, accuracy: 1e-6)
    }

    func testEscapedPathAndDirFdJoin() {
        let t = parse(#"""
        7 openat(AT_FDCWD, "/tmp/we\"ird\\name\n\303\251\x41", O_RDONLY) = 5
        7 openat(AT_FDCWD, "/data", O_RDONLY|O_DIRECTORY) = 4
        7 openat(4, "b.txt", O_RDONLY) = 6
        7 openat(AT_FDCWD</srv>, "c.txt", O_RDONLY) = 8</srv/c.txt>
        7 openat(9</opt>, "d.txt", O_RDONLY) = 10
        7 read(8</srv/c.txt>, "xy", 10) = 2 <0.000009>
        """#, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/tmp/we\"ird\\name\né" + "A"), handle: 1),
            .open(file: .path("/data"), handle: 2),
            .open(file: .path("/data/b.txt"), handle: 3),
            .open(file: .path("/srv/c.txt"), handle: 4),
            .open(file: .path("/opt/d.txt"), handle: 5),
            .read(handle: 4, offset: 0, length: 2),
        ])
    }

    func testLseekAndGetdents() {
        let t = parse("""
        1 openat(AT_FDCWD, "/f", O_RDONLY) = 3
        1 lseek(3, 8192, SEEK_SET) = 8192
        1 read(3, "...", 4096) = 4096
        1 openat(AT_FDCWD, "/d", O_RDONLY|O_DIRECTORY) = 4
        1 getdents64(4, 0x55 /* 5 entries */, 32768) = 144
        1 getdents64(4, 0x55 /* 0 entries */, 32768) = 0
        """, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/f"), handle: 1),
            .read(handle: 1, offset: 8192, length: 4096),
            .open(file: .path("/d"), handle: 2),
            .dirRead(.path("/d")),
        ])
    }

    func testExitDropsFdTable() {
        let t = parse("""
        5 openat(AT_FDCWD, "/f", O_RDONLY) = 3
        5 +++ exited with 0 +++
        5 read(3, "x", 1) = 1
        """, .strace)
        // The exit closes the fd (its handle is released); the read after it finds no fd 3.
        XCTAssertEqual(t.kinds, [.open(file: .path("/f"), handle: 1), .close(handle: 1)])
    }

    func testResumedWithoutUnfinishedWarns() {
        let t = parse("""
        5 openat(AT_FDCWD, "/f", O_RDONLY) = 3
        5 <... read resumed>"x", 1) = 1
        """, .strace)
        XCTAssertEqual(t.errors, [])
        XCTAssertEqual(t.warnings.map(\.line), [2])
        XCTAssertEqual(t.events.count, 1)
    }

    func testMismatchedResumeWarns() {
        let t = parse("""
        5 openat(AT_FDCWD, "/f", O_RDONLY) = 3
        5 read(3,  <unfinished ...>
        5 <... close resumed>) = 0
        """, .strace)
        XCTAssertEqual(t.warnings.map(\.line), [3])
        XCTAssertEqual(t.events.count, 1)
    }

    func testMalformedLines() {
        let ok = "1 openat(AT_FDCWD, \"/f\", O_RDONLY) = 3\n"
        assertMalformed(ok + "hello world", .strace, line: 2, contains: "not a system call")
        assertMalformed(ok + "1 12:00:00.1 read(3, \"abc", .strace, line: 2, contains: "unterminated string")
        assertMalformed(ok + "1 read(3, \"abc\", 4", .strace, line: 2, contains: "truncated")
        assertMalformed(ok + "1 read(3, \"abc\", 4)", .strace, line: 2, contains: "missing return value")
        assertMalformed(ok + "1 read(3, \"abc\", 4) = 12abc", .strace, line: 2, contains: "malformed return value")
        assertMalformed(ok + "1 99:00:00.1 close(3) = 0", .strace, line: 2, contains: "timestamp")
        assertMalformed(ok + "1 read(x, \"abc\", 4) = 3", .strace, line: 2, contains: "malformed fd")
        assertMalformed(ok + "1 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3) = 0x1000", .strace, line: 2, contains: "needs 6 arguments")
        assertMalformed(ok + "1 openat(AT_FDCWD, /f, O_RDONLY) = 4", .strace, line: 2, contains: "path")
        assertMalformed(ok + "\u{01}\u{02}\u{FFFD}\u{7f}binary", .strace, line: 2, contains: "not a system call")
    }

    func testAbsurdNumbers() {
        let ok = "1 openat(AT_FDCWD, \"/f\", O_RDONLY) = 3\n"
        assertMalformed(ok + "1 read(3, \"\", 4) = 99999999999999999999999", .strace, line: 2, contains: "out of range")
        assertMalformed(ok + "1 read(3, \"\", 4) = 9223372036854775808", .strace, line: 2, contains: "2^63")
        assertMalformed(ok + "1 pread64(3, \"\", 4, -4096) = 4", .strace, line: 2, contains: "negative offset")
        assertMalformed(ok + "1 pread64(3, \"\", 4, 9223372036854775807) = 4", .strace, line: 2, contains: "offset + length")
        assertMalformed(ok + "1 mmap(NULL, 18446744073709551616, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000", .strace, line: 2, contains: "length out of range")
        let t = parse(ok + "1 read(3, \"\", 4) = 4398046511104000", .strace) // 4000 TiB
        XCTAssertEqual(t.errors, [])
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertEqual(t.kinds.last, .read(handle: 1, offset: 0, length: TraceLimits.maxLength))
    }

    /// Real capture: `strace -f -tt -e trace=openat,read,pread64,mmap,close -o strace-f-tt.log
    /// sh -c "cat /etc/passwd /etc/hostname | wc -l; python3 -c 'import json, email'"`.
    /// Expected counts come from Fixtures/reference-counts.py, an independent Python
    /// implementation (joins unfinished/resumed per pid, per-pid fd tables):
    ///   strace-f-tt.log {'open': 135, 'mmap': 115, 'close': 135, 'read': 86, 'pread': 8} read_bytes 1412655
    ///   strace-ttt.log  {'open': 19, 'mmap': 18, 'close': 19, 'read': 4, 'pread': 2} read_bytes 3843
    ///   strace-t.log    {'open': 18, 'mmap': 18, 'close': 18, 'read': 3, 'pread': 2} read_bytes 3840
    func testRealCaptures() throws {
        let expected: [(String, [EventKindName: Int], UInt64)] = [
            ("strace-f-tt.log", [.open: 135, .mmap: 115, .close: 135, .read: 86, .pread: 8], 1412655),
            ("strace-ttt.log", [.open: 19, .mmap: 18, .close: 19, .read: 4, .pread: 2], 3843),
            ("strace-t.log", [.open: 18, .mmap: 18, .close: 18, .read: 3, .pread: 2], 3840),
        ]
        for (name, counts, bytes) in expected {
            let t = try parseTrace(contentsOf: fixture(name))
            XCTAssertEqual(t.format, .strace, name)
            XCTAssertEqual(t.diagnostics, [], name)
            XCTAssertEqual(t.summary.eventsByKind, counts, name)
            let readBytes = t.kinds.reduce(UInt64(0)) { if case .read(_, _, let n) = $1 { return $0 + n } else { return $0 } }
            XCTAssertEqual(readBytes, bytes, name)
            checkInvariants(t, name)
        }
        let multi = try parseTrace(contentsOf: fixture("strace-f-tt.log"))
        XCTAssertGreaterThan(Set(multi.events.compactMap(\.pid)).count, 1)
        XCTAssertTrue(multi.kinds.contains { if case .open(.path("/etc/passwd"), _) = $0 { return true } else { return false } })
    }

    /// -f -y -T capture of `ls /etc/ssl; cd /etc && head -c 10 hostname; tail -c 5 /etc/passwd`.
    func testRealCaptureWithFdAnnotations() throws {
        let t = try parseTrace(contentsOf: fixture("strace-f-y-T.log"))
        XCTAssertEqual(t.errors, [])
        let opens = t.kinds.compactMap { k -> String? in if case .open(.path(let p), _) = k { return p } else { return nil } }
        XCTAssertTrue(opens.contains("/etc/hostname"), "relative open joined with AT_FDCWD</etc>")
        XCTAssertFalse(opens.contains("hostname"))
        XCTAssertTrue(t.kinds.contains(.dirRead(.path("/etc/ssl"))))
        checkInvariants(t, "y")
    }

    /// Handles are opened before use, closed at most once, reads on a handle are contiguous.
    func checkInvariants(_ t: ParsedTrace, _ name: String) {
        var open: Set<Int64> = [], closed: Set<Int64> = [], position: [Int64: UInt64] = [:]
        var lastTime = -Double.infinity
        for e in t.events {
            if let time = e.time {
                XCTAssertGreaterThanOrEqual(time, lastTime - 1e-3, "\(name) line \(e.line): time went backwards")
                lastTime = max(lastTime, time)
            }
            switch e.kind {
            case .open(_, let h):
                XCTAssertFalse(open.contains(h) || closed.contains(h), "\(name): handle reused")
                open.insert(h)
                position[h] = 0
            case .read(let h, let off, let len):
                XCTAssertTrue(open.contains(h), "\(name) line \(e.line)")
                XCTAssertEqual(off, position[h], "\(name) line \(e.line): reads are sequential")
                position[h] = (off ?? 0) + len
            case .pread(let h, _, _), .mmap(let h, _, _, _):
                XCTAssertTrue(open.contains(h), "\(name) line \(e.line)")
            case .close(let h):
                XCTAssertTrue(open.remove(h) != nil, "\(name) line \(e.line)")
                closed.insert(h)
            default: break
            }
        }
    }
}
