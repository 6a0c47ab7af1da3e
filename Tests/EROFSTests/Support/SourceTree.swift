import DeterministicRandom
import EROFS
import Foundation
import XCTest

/// Builds small source trees with every kind of node, for images made at test time.
enum SourceTree {
    /// A tree exercising inline tails, multi-block files, sparse and empty files, hard links,
    /// symlinks, long names, a deep path, a big directory, device nodes, a fifo and xattrs.
    static func make(at root: String, seed: UInt64 = 1) throws {
        var rng = SplitMix64(seed: seed)
        let fm = FileManager.default
        func write(_ path: String, _ bytes: [UInt8], mode: Int = 0o644) throws {
            try fm.createDirectory(atPath: (root + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            fm.createFile(atPath: root + path, contents: Data(bytes))
            chmod(root + path, mode_t(mode))
        }
        try write("/hello.txt", Array("hello, erofs\n".utf8))
        try write("/empty", [])
        try write("/exact4096", rng.bytes(4096))
        try write("/exact8192", rng.bytes(8192))
        try write("/odd.bin", rng.bytes(12345), mode: 0o600)
        try write("/medium.bin", rng.bytes(300_001), mode: 0o755)
        try write("/text/compressible.txt", Array(String(repeating: "the quick brown fox jumps over the lazy dog\n", count: 3000).utf8))
        try write("/dup/one", Array(repeating: 7, count: 70_000))
        try write("/dup/two", Array(repeating: 7, count: 70_000))
        try write("/suid", Array("x".utf8), mode: 0o4755)
        // Sparse: 3 MiB with data at a few offsets.
        let sparse = root + "/sparse.img"
        fm.createFile(atPath: sparse, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: sparse))
        for offset in [0, 1_048_576 + 100, 3 * 1_048_576 - 10] {
            try handle.seek(toOffset: UInt64(offset))
            handle.write(Data("data@\(offset)".utf8))
        }
        try handle.close()
        link(root + "/hello.txt", root + "/hardlink")
        try fm.createDirectory(atPath: root + "/links", withIntermediateDirectories: true)
        symlink("../hello.txt", root + "/links/relative")
        symlink("/text/compressible.txt", root + "/links/absolute")
        symlink("nowhere/at/all", root + "/links/dangling")
        symlink("../links", root + "/links/loopdir")
        symlink(String(repeating: "a/", count: 600) + "end", root + "/links/long")
        var deep = root
        for i in 0..<40 { deep += "/d\(i)" }
        try fm.createDirectory(atPath: deep, withIntermediateDirectories: true)
        try write(String(deep.dropFirst(root.count)) + "/bottom.txt", Array("deep\n".utf8))
        // erofs-utils 1.5 fails on 255-byte names ("Could not format the device"); 1.9 fixtures cover 255.
        try write("/" + String(repeating: "n", count: 250), Array("long name\n".utf8))
        for i in 0..<600 { try write("/many/entry-\(String(format: "%04d", i))-\(String(repeating: "x", count: i % 40))", Array("\(i)\n".utf8)) }
        mkfifo(root + "/fifo", 0o644)
        if getuid() == 0 {
            mknod(root + "/chardev", S_IFCHR | 0o600, dev_t(4 << 8 | 5))
            mknod(root + "/blockdev", S_IFBLK | 0o600, dev_t((259 << 8) | 1 | (300 << 12 & 0xFFF00)))
            chown(root + "/odd.bin", 70000, 70001)
        }
        setxattr(root + "/hello.txt", "user.comment", "greeting", 8, 0)
        setxattr(root + "/hello.txt", "user.shared", "same-value", 10, 0)
        setxattr(root + "/odd.bin", "user.shared", "same-value", 10, 0)
        setxattr(root + "/medium.bin", "user.shared", "same-value", 10, 0)
        setxattr(root + "/medium.bin", "trusted.secret", "t", 1, 0)
        chmod(root + "/many", 0o1777)
    }
}

