import XCTest
@testable import Workload

/// `StraceParser` reads plain read/close/openat lines and `-tt` clocks in place; every line
/// must give what the general path gives: the same events, diagnostics and counts.
final class StracePlainCallTests: XCTestCase {
    /// Shapes the in-place reader takes and shapes next to them it must leave to the general path.
    let lines = [
        #"7 08:00:00.000001 openat(AT_FDCWD, "/usr/lib/a.py", O_RDONLY|O_CLOEXEC) = 3"#,
        #"7 08:00:00.000002 read(3, "\177ELF\2\1\1"..., 4096) = 4096"#,
        #"7 08:00:00.000003 read(3, "a\"b", 16384) = 100 <0.000010>"#,
        #"7 08:00:00.000004 read(3, "x) = 9, (", 8) = 8"#,
        #"7 08:00:00.000005 read(3</usr/lib/a.py>, "x", 8) = 8"#,
        #"7 08:00:00.000006 read(3, "x", 8) = 0"#,
        #"7 08:00:00.000007 read(3, "x", 8) = -1 EAGAIN (Resource temporarily unavailable)"#,
        #"7 08:00:00.000008 read(3, "x", 8) = ?"#,
        #"7 08:00:00.000009 read(3, "x", 8) = 0x10"#,
        #"7 08:00:00.000010 read(3, "x", 8) = 12ab"#,
        #"7 08:00:00.000011 read(3, "x", 8) = 99999999999999999999999"#,
        #"7 08:00:00.000012 read(3, "x", 8) = 1099511627777"#,
        #"7 08:00:00.000013 read(3, "x", 8) = 9223372036854775807"#,
        #"7 08:00:00.000014 read(3, "x"..., 8 = 8"#,
        #"7 08:00:00.000015 read(3, "unterminated, 8) = 8"#,
        #"7 08:00:00.000016 read(99999999999, "x", 8) = 8"#,
        #"7 08:00:00.000017 read(-1, "x", 8) = 8"#,
        #"7 08:00:00.000018 read(3 , "x", 8) = 8"#,
        "7 08:00:00.000019 read(3, \"x\", 8)\t= 8",
        #"7 08:00:00.000020 read(3, "x") = 8"#,
        #"7 08:00:00.000021 read(3, "x", 8) =8"#,
        #"7 08:00:00.000022 read(3, "x", 8) = "#,
        #"7 08:00:00.000023 read(4, "x", 8) = 8"#,
        #"7 08:00:00.000024 close(4) = 0"#,
        #"7 08:00:00.000025 close(3) = -1 EBADF (Bad file descriptor)"#,
        #"7 08:00:00.000026 close(3</usr/lib/a.py>) = 0"#,
        #"7 08:00:00.000027 openat(AT_FDCWD, "/usr/lib/b.py", O_RDONLY) = 3"#,
        #"7 08:00:00.000028 close(3) = 0"#,
        #"7 08:00:00.000029 close(3) = 0"#,
        #"7 08:00:00.000030 openat(AT_FDCWD, "rel/c.py", O_RDONLY) = 4"#,
        #"7 08:00:00.000031 openat(4, "d.py", O_RDONLY) = 5"#,
        #"7 08:00:00.000032 openat(AT_FDCWD</srv>, "e.py", O_RDONLY) = 6"#,
        #"7 08:00:00.000033 openat(AT_FDCWD, "/a\"b", O_RDONLY) = 7"#,
        #"7 08:00:00.000034 openat(AT_FDCWD, "/very/long/pa"..., O_RDONLY) = 8"#,
        #"7 08:00:00.000035 openat(AT_FDCWD, "/f", O_RDONLY|O_CREAT, 0644) = 9"#,
        #"7 08:00:00.000036 openat(AT_FDCWD, "/g") = 10"#,
        #"7 08:00:00.000037 openat(AT_FDCWD, "/missing", O_RDONLY) = -1 ENOENT (No such file or directory)"#,
        #"7 08:00:00.000038 openat(AT_FDCWD, "/h", O_RDONLY) = 4294967296"#,
        #"7 08:00:00.000039 openat(AT_FDCWD, "", O_RDONLY) = 11"#,
        #"7 08:00:00.000040 openat(AT_FDCWD, "/i", [O_RDONLY]) = 12"#,
        #"7 08:00:00.000041 openat("/j", O_RDONLY) = 13"#,
        #"7 08:00:00.000042 openat2(AT_FDCWD, "/k", {flags=O_RDONLY}, 24) = 14"#,
        #"7 08:00:00.000043 read(9, "y", 65536) = 65536"#,
        #"7 08:00:00.000044 read(9, "y", 65536) = 10"#,
        #"7 08:00:00.000045 read(10, "y", 1) = 1"#,
        #"7 08:00:00.000046 read(14, "y", 1) = 1"#,
        #"7 23:59:59.999999 read(9, "y", 1) = 1"#,
        #"7 00:00:00.000001 read(9, "y", 1) = 1"#,
        #"7 00:00:01.5 read(9, "y", 1) = 1"#,
        #"7 24:00:00.000000 read(9, "y", 1) = 1"#,
        #"7 00:60:00.000000 read(9, "y", 1) = 1"#,
        #"7 00:00:61.000000 read(9, "y", 1) = 1"#,
        #"7 00:00:0a.000000 read(9, "y", 1) = 1"#,
        #"7 00:00:02.00000x read(9, "y", 1) = 1"#,
        #"7 00:00:03.000000 00:00:04.000000 read(9, "y", 1) = 1"#,
        #"7 00:00:05.000000"#,
        #"00:00:06.000000 read(9, "y", 1) = 1"#,
        #"8 00:00:07.000000 read(9, "y", 1) = 1"#,
        #"7 00:00:08.000000 read(9,  <unfinished ...>"#,
        #"7 00:00:09.000000 <... read resumed>"z", 4) = 4"#,
        #"7 00:00:10.000000 close(9 <unfinished ...>"#,
        #"7 00:00:11.000000 <... close resumed>) = 0"#,
        #"7 00:00:12.000000 readahead(9, 0, 4096) = 0"#,
        #"7 00:00:13.000000 closefrom(3) = 0"#,
        #"7 00:00:14.000000 read(12, "y", 1) = 1   "#,
        "7 00:00:15.000000 read(12, \"y\", 1) = 1\r",
        #"7 00:00:16.000000 close() = 0"#,
        #"7 00:00:17.000000 close(12"#,
        #"7 00:00:18.000000 +++ exited with 0 +++"#,
    ]

    func testInPlaceReadingMatchesTheGeneralPath() {
        let fast = run(lines, inPlace: true)
        let general = run(lines, inPlace: false)
        XCTAssertEqual(fast.events, general.events)
        XCTAssertEqual(fast.diagnostics, general.diagnostics)
        XCTAssertEqual(fast.summary, general.summary)
        // The log exercises both outcomes: events and errors from either path.
        XCTAssertGreaterThan(general.events.count, 10)
        XCTAssertGreaterThan(general.summary.errors, 5)
    }

    func testGeneratedLogMatchesTheGeneralPath() {
        // A bench-like log: opens, reads of random sizes, closes, over several pids.
        var rng = SystemRandomNumberGenerator()
        var log: [String] = []
        var micros = 8 * 3_600_000_000 - 2_000 + Int.random(in: 0..<1000, using: &rng)
        for n in 0..<3000 {
            micros += Int.random(in: 1...3, using: &rng)
            let s = micros / 1_000_000 % 86400, us = micros % 1_000_000
            let clock = String(format: "%02d:%02d:%02d.%06d", s / 3600, s / 60 % 60, s % 60, us)
            let pid = 100 + n % 3, fd = 3 + Int.random(in: 0..<3, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: log.append("\(pid) \(clock) openat(AT_FDCWD, \"/usr/lib/f\(n % 50).py\", O_RDONLY|O_CLOEXEC) = \(fd)")
            case 1: log.append("\(pid) \(clock) close(\(fd)) = 0")
            default: log.append("\(pid) \(clock) read(\(fd), \"\\177ELF\"..., 65536) = \(Int.random(in: 0..<70000, using: &rng))")
            }
        }
        let fast = run(log, inPlace: true)
        let general = run(log, inPlace: false)
        XCTAssertEqual(fast.events, general.events)
        XCTAssertEqual(fast.diagnostics, general.diagnostics)
        XCTAssertEqual(fast.summary, general.summary)
        XCTAssertGreaterThan(general.events.count, 1000)
    }

    private func run(_ lines: [String], inPlace: Bool) -> TraceSink {
        var parser = StraceParser()
        parser.readsPlainCallsInPlace = inPlace
        var sink = TraceSink()
        for (k, text) in lines.enumerated() {
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBufferPointer { parser.parse(bytes: UnsafeBufferPointer($0), number: k + 1, into: &sink) }
        }
        parser.finish(into: &sink)
        return sink
    }
}
