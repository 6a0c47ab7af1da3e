import Foundation
import XCTest
@testable import Workload

/// strace as people run it (`strace -f -ttt -T -y`): fd tables across dup and fork, the other
/// read calls, execve, and system calls the parser does not model counted by name.
final class StraceDescriptorTests: XCTestCase {
    func testDupForkAndOtherReads() {
        let t = parse(#"""
        10 1700000000.000001 openat(AT_FDCWD</w>, "/m/a.so", O_RDONLY|O_CLOEXEC) = 3</m/a.so> <0.000010>
        10 1700000000.000002 read(3</m/a.so>, "\177ELF", 832) = 832 <0.000005>
        10 1700000000.000003 dup(3</m/a.so>) = 4</m/a.so>
        10 1700000000.000004 read(4</m/a.so>, "x", 100) = 100
        10 1700000000.000005 close(3</m/a.so>) = 0
        10 1700000000.000006 fcntl(4</m/a.so>, F_DUPFD_CLOEXEC, 10) = 10</m/a.so>
        10 1700000000.000007 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 11
        11 1700000000.000008 pread64(10</m/a.so>, "y", 4096, 8192) = 4096
        11 1700000000.000009 readv(4</m/a.so>, [{iov_base="z", iov_len=50}], 1) = 50
        11 1700000000.000010 close_range(3, 4294967295, 0) = 0
        10 1700000000.000011 preadv2(10</m/a.so>, [{iov_base="q", iov_len=10}], 1, -1, 0) = 10
        10 1700000000.000012 sendfile(1<pipe:[5]>, 4</m/a.so>, [100] => [300], 200) = 200
        10 1700000000.000013 copy_file_range(4</m/a.so>, NULL, 1<pipe:[5]>, NULL, 7, 0) = 7
        10 1700000000.000014 readahead(4</m/a.so>, 65536, 16384) = 0
        10 1700000000.000015 fadvise64(4</m/a.so>, 0, 0, POSIX_FADV_RANDOM) = 0
        10 1700000000.000016 brk(NULL) = 0x55
        10 1700000000.000017 execve("/m/bin/prog", ["prog"], 0x7ffd /* 3 vars */) = 0
        10 1700000000.000018 close(4</m/a.so>) = 0
        10 1700000000.000019 close(10</m/a.so>) = 0
        10 1700000000.000020 +++ exited with 0 +++
        """#, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/m/a.so"), handle: 1),
            .read(handle: 1, offset: 0, length: 832),
            .read(handle: 1, offset: 832, length: 100),      // dup'd fd shares the position
            .pread(handle: 1, offset: 8192, length: 4096),   // the child inherited fd 10
            .read(handle: 1, offset: 932, length: 50),
            // the child's close_range drops its copies only; the handle stays open
            .read(handle: 1, offset: 982, length: 10),       // preadv2 at -1: the position
            .pread(handle: 1, offset: 100, length: 200),     // sendfile's source, at [100]
            .read(handle: 1, offset: 992, length: 7),        // copy_file_range with NULL offset
            .pread(handle: 1, offset: 65536, length: 16384), // readahead(2)
            .open(file: .path("/m/bin/prog"), handle: 2),    // execve: the program, mapped to EOF
            .read(handle: 2, offset: 0, length: 256),
            .mmap(handle: 2, offset: 0, length: TraceLimits.maxLength, address: nil),
            .close(handle: 1),                               // the last fd of handle 1
        ])
        XCTAssertEqual(t.summary.unhandledCalls["brk"], 1)
        XCTAssertEqual(t.summary.unhandledCalls["fadvise64(POSIX_FADV_RANDOM)"], 1)
    }

    func testThreadsShareTheTableAndUnfinishedCallsJoin() {
        let t = parse(#"""
        [pid 20] 1.000001 openat(AT_FDCWD, "/m/x", O_RDONLY) = 3
        [pid 20] 1.000002 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, exit_signal=0}, 88) = 21
        [pid 21] 1.000003 read(3,  <unfinished ...>
        [pid 20] 1.000004 pread64(3, "a", 10, 0) = 10
        [pid 21] 1.000005 <... read resumed>"b", 4096) = 4096
        [pid 21] 1.000006 +++ exited with 0 +++
        [pid 20] 1.000007 read(3, "c", 4096) = 5
        """#, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/m/x"), handle: 1),
            .pread(handle: 1, offset: 0, length: 10),
            .read(handle: 1, offset: 0, length: 4096),       // the thread reads the shared fd
            .read(handle: 1, offset: 4096, length: 5),       // its exit closed nothing
        ])
    }

    func testPopulateMadviseAndMunmap() {
        let t = parse(#"""
        30 openat(AT_FDCWD, "/m/data.npy", O_RDONLY) = 3
        30 mmap(NULL, 12288, PROT_READ, MAP_SHARED|MAP_POPULATE, 3, 0x2000) = 0x7f0000000000
        30 mmap(NULL, 1048576, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f1000000000
        30 madvise(0x7f1000010000, 65536, MADV_WILLNEED) = 0
        30 madvise(0x7f1000000000, 1048576, MADV_RANDOM) = 0
        30 munmap(0x7f1000000000, 1048576) = 0
        30 madvise(0x7f1000010000, 65536, MADV_WILLNEED) = 0
        """#, .strace)
        XCTAssertEqual(t.diagnostics, [])
        XCTAssertEqual(t.kinds, [
            .open(file: .path("/m/data.npy"), handle: 1),
            .mmap(handle: 1, offset: 0x2000, length: 12288, address: 0x7f00_0000_0000),
            .fault(.handle(1), page: 2), .fault(.handle(1), page: 3), .fault(.handle(1), page: 4), // MAP_POPULATE
            .mmap(handle: 1, offset: 0, length: 1_048_576, address: 0x7f10_0000_0000),
            .pread(handle: 1, offset: 0x10000, length: 65536),  // WILLNEED at its file offset
            // MADV_RANDOM counted, not modelled; after munmap the address maps nothing
        ])
        XCTAssertEqual(t.summary.unhandledCalls["madvise(MADV_RANDOM)"], 1)
    }
}
