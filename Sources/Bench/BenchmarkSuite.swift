import EROFS
import Foundation

/// Benchmarks of the reader: extract throughput against fsck.erofs, and metadata walks.
struct BenchmarkSuite {
    let work: String
    let fm = FileManager.default

    /// erofs-utils tools: 1.9 through the sid wrapper when it is set up, else the system's.
    /// The wrapper is `$EROFS_UTILS_SID` or `../shared/tools/erofs-utils-sid`; its root is
    /// `$EROFS_UTILS_SID_ROOT` (the wrapper's own default: /var/cache/erofs-utils-sid).
    var tools: (mkfs: [String], fsck: [String], version: String) {
        let environment = ProcessInfo.processInfo.environment
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let sid = environment["EROFS_UTILS_SID"] ?? (repo + "/../shared/tools/erofs-utils-sid")
        let root = environment["EROFS_UTILS_SID_ROOT"] ?? "/var/cache/erofs-utils-sid"
        if fm.isExecutableFile(atPath: sid), fm.fileExists(atPath: root + "/usr/bin/mkfs.erofs") {
            return ([sid, "mkfs.erofs"], [sid, "fsck.erofs"], "1.9 (sid)")
        }
        return (["/usr/bin/mkfs.erofs"], ["/usr/bin/fsck.erofs"], "1.5 (bookworm)")
    }

    func readerBenchmarks(megabytes: Int, inodes: Int) throws {
        try? fm.removeItem(atPath: work)
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        print("erofs-top reader benchmarks (erofs-utils \(tools.version)), work folder \(work)")
        let source = work + "/big-src"
        let bytes = try makeLargeTree(at: source, megabytes: megabytes)
        print(String(format: "source tree: %.1f MB in %@", Double(bytes) / 1e6, source))
        for (name, options) in [("plain", [String]()), ("chunked-1MiB", ["--chunksize=1048576"])] {
            let image = work + "/\(name).erofs"
            try run(tools.mkfs + ["--quiet", "-T0"] + options + [image, source])
            try compareExtract(image: image, label: name, bytes: bytes)
        }
        try? fm.removeItem(atPath: source)
        try metadataWalk(inodes: inodes)
    }

    /// Files of mixed sizes (4 KiB … 4 MiB) with partly compressible content, deterministic.
    func makeLargeTree(at root: String, megabytes: Int) throws -> UInt64 {
        var rng = SystemRandomNumberGenerator()
        var total: UInt64 = 0
        let target = UInt64(megabytes) * 1_000_000
        var index = 0
        let block = (0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        while total < target {
            let dir = root + "/d\(index / 100)"
            if index % 100 == 0 { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let sizes = [4096, 12_000, 65_536, 300_000, 1_048_576, 4_000_000]
            let size = sizes[index % sizes.count] + index % 977
            let start = (index * 7919) % (block.count - size)
            fm.createFile(atPath: dir + "/f\(index)", contents: Data(block[start..<(start + size)]))
            total += UInt64(size)
            index += 1
        }
        return total
    }

    func compareExtract(image: String, label: String, bytes: UInt64) throws {
        let ours = work + "/out-ours", theirs = work + "/out-fsck"
        // Warm the page cache once so both read from memory.
        _ = try Image(path: image).extract(to: ours)
        var ourTimes: [Double] = [], fsckTimes: [Double] = []
        for _ in 0..<3 {
            try? fm.removeItem(atPath: ours)
            try? fm.removeItem(atPath: theirs)
            ourTimes.append(try time { _ = try Image(path: image).extract(to: ours) })
            fsckTimes.append(try BenchProcess.timed(tools.fsck + ["--extract=\(theirs)", image]))
        }
        let o = ourTimes.sorted()[1], f = fsckTimes.sorted()[1]
        print(String(format: "extract %-13@ erofs-top %6.3f s (%6.0f MB/s)   fsck.erofs --extract %6.3f s (%6.0f MB/s)   ratio %.2fx",
                     label, o, Double(bytes) / o / 1e6, f, Double(bytes) / f / 1e6, f / o))
        try? fm.removeItem(atPath: ours)
        try? fm.removeItem(atPath: theirs)
    }

    func metadataWalk(inodes: Int) throws {
        let root = work + "/many-src"
        for i in 0..<inodes {
            let dir = root + "/dir\(i / 1000)"
            if i % 1000 == 0 { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            fm.createFile(atPath: dir + "/file-\(i)", contents: i % 10 == 0 ? Data("content \(i)\n".utf8) : nil)
        }
        let image = work + "/many.erofs"
        try run(tools.mkfs + ["--quiet", "-T0", image, root])
        try? fm.removeItem(atPath: root)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/erofs-top"
        guard fm.isExecutableFile(atPath: binary) else {
            print("metadata walk: build erofs-top first (swift build -c release) to time `ls -R -l --json`")
            return
        }
        try compareMetadataWalk(image: image, label: "\(inodes + inodes / 1000 + 1) inodes", binary: binary, runs: 7)
    }

    func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    func run(_ command: [String], discardOutput: Bool = false) throws {
        try BenchProcess.run(command, discardOutput: discardOutput)
    }
}
