import Foundation

/// `erofs-top extract` against `fsck.erofs --extract`, both run as commands the way users run
/// them, on images of a real tree (a Python standard library plus a few large files) packed
/// plain, in 1 MiB chunks and with each compressor; the outputs are compared byte for byte.
extension BenchmarkSuite {
    /// The image kinds: label and mkfs.erofs options.
    static let extractKinds: [(label: String, options: [String])] = [
        ("plain", []), ("chunked-1MiB", ["--chunksize=1048576"]), ("lz4hc", ["-zlz4hc"]),
        ("deflate", ["-zdeflate"]), ("zstd", ["-zzstd"]), ("lzma", ["-zlzma"]),
    ]

    func extractBenchmarks(tree: String, runs: Int, kinds: [String]?) throws {
        try? fm.removeItem(atPath: work)
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/erofs-top"
        guard fm.isExecutableFile(atPath: binary) else {
            throw BenchError("build erofs-top first (swift build -c release): \(binary) is missing")
        }
        print("erofs-top extract benchmarks (erofs-utils \(tools.version)), work folder \(work) (\(fileSystemType(work)))")
        print("load before: \(extractLoadAverage())")
        let source = work + "/src"
        let bytes = try makeRealTree(at: source, from: tree)
        print(String(format: "source tree: %@ plus large files, %.1f MB", tree, Double(bytes) / 1e6))
        var summary: [String] = []
        for kind in Self.extractKinds where kinds?.contains(kind.label) ?? true {
            let image = work + "/\(kind.label).erofs"
            try run(tools.mkfs + ["--quiet", "-T0"] + kind.options + [image, source])
            let size = (try? fm.attributesOfItem(atPath: image)[.size] as? UInt64) ?? 0
            let ours = work + "/out-ours", theirs = work + "/out-fsck"
            let ourCommand = [binary, "extract", image, ours], fsckCommand = tools.fsck + ["--extract=\(theirs)", image]
            // One warm-up each, then the outputs must be the same tree, byte for byte.
            try? fm.removeItem(atPath: ours)
            try? fm.removeItem(atPath: theirs)
            try run(ourCommand, discardOutput: true)
            try run(fsckCommand, discardOutput: true)
            try run(["/usr/bin/diff", "-r", "--no-dereference", ours, theirs])
            var ourTimes: [Double] = [], fsckTimes: [Double] = [], ourCPU: [Double] = [], fsckCPU: [Double] = []
            for _ in 0..<runs {
                try? fm.removeItem(atPath: ours)
                try? fm.removeItem(atPath: theirs)
                var cpu = childCPUSeconds()
                ourTimes.append(try BenchProcess.timed(ourCommand))
                ourCPU.append(childCPUSeconds() - cpu)
                cpu = childCPUSeconds()
                fsckTimes.append(try BenchProcess.timed(fsckCommand))
                fsckCPU.append(childCPUSeconds() - cpu)
            }
            try? fm.removeItem(atPath: ours)
            try? fm.removeItem(atPath: theirs)
            try? fm.removeItem(atPath: image)
            let o = median(ourTimes), f = median(fsckTimes)
            let line = String(format: "extract %-13@ image %6.1f MB   erofs-top %6.3f s (%5.0f MB/s)   fsck.erofs --extract %6.3f s (%5.0f MB/s)   ratio %.2fx",
                              kind.label, Double(size) / 1e6, o, Double(bytes) / o / 1e6, f, Double(bytes) / f / 1e6, f / o)
            print(line + String(format: "   CPU (user+sys) ours %.3f s, fsck %.3f s   (runs: ours %@; fsck %@)", median(ourCPU), median(fsckCPU),
                                ourTimes.map { String(format: "%.3f", $0) }.joined(separator: " "),
                                fsckTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")))
            summary.append(String(format: "%@ %.2fx", kind.label, f / o))
        }
        try? fm.removeItem(atPath: source)
        print("load after: \(extractLoadAverage())")
        print("ratios (fsck time / ours, median of \(runs) alternating runs): " + summary.joined(separator: ", "))
    }

    /// Copies `tree` into `root/tree` and adds a few large files: the Python interpreter and
    /// library when present, and 96 MB made of the tree's own files concatenated in path order
    /// (real text and bytecode, compressible like them). Returns the bytes of regular files.
    func makeRealTree(at root: String, from tree: String) throws -> UInt64 {
        try fm.createDirectory(atPath: root + "/large", withIntermediateDirectories: true)
        try run(["/bin/cp", "-a", tree, root + "/tree"])
        var total: UInt64 = 0
        var files: [String] = []
        if let walker = fm.enumerator(atPath: root + "/tree") {
            for case let relative as String in walker {
                let path = root + "/tree/" + relative
                var info = stat()
                if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                    files.append(path)
                    total += UInt64(info.st_size)
                }
            }
        }
        files.sort()
        for binary in ["/usr/bin/python3.11", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"] where fm.fileExists(atPath: binary) {
            let target = root + "/large/" + URL(fileURLWithPath: binary).lastPathComponent
            try run(["/bin/cp", binary, target])
            total += (try? fm.attributesOfItem(atPath: target)[.size] as? UInt64) ?? 0
        }
        let wanted = 96_000_000
        var big = Data(capacity: wanted)
        while big.count < wanted && !files.isEmpty {
            for path in files where big.count < wanted {
                if let data = fm.contents(atPath: path) { big.append(data.prefix(wanted - big.count)) }
            }
        }
        _ = fm.createFile(atPath: root + "/large/stdlib-concatenated.bin", contents: big)
        return total + UInt64(big.count)
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// User plus system time of the waited-for child processes so far.
    func childCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    func extractLoadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    }

    /// The file system type of `path` as /proc/mounts names it (the longest mount point above it).
    func fileSystemType(_ path: String) -> String {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return "unknown" }
        var best = ("", "unknown")
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 2 else { continue }
            let point = String(fields[1])
            if (path == point || path.hasPrefix(point == "/" ? "/" : point + "/")) && point.count > best.0.count { best = (point, String(fields[2])) }
        }
        return best.1
    }
}
