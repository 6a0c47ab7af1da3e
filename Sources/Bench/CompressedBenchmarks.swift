import EROFS
import Foundation

/// Benchmarks of the compressed reader: `extract` against `fsck.erofs --extract` on real
/// LZ4HC and Zstandard images of at least 200 MB, and the decompression work of one 4 KiB read.
extension BenchmarkSuite {
    func compressedBenchmarks(megabytes: Int) throws {
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        print("erofs-top compressed-reader benchmarks (erofs-utils \(tools.version)), work folder \(work)")
        let source = work + "/z-src"
        try? fm.removeItem(atPath: source)
        let bytes = try makeCompressibleTree(at: source, megabytes: megabytes)
        print(String(format: "source tree: %.1f MB of text mixed with random runs, one 100 MB file, in %@", Double(bytes) / 1e6, source))
        var algorithms = ["lz4hc", "zstd"]
        if tools.version.hasPrefix("1.5") { algorithms = ["lz4hc"]; print("erofs-utils 1.5 has no zstd: only lz4hc") }
        for algorithm in algorithms {
            let image = work + "/z-\(algorithm).erofs"
            try run(tools.mkfs + ["--quiet", "-T0", "-z" + algorithm, image, source])
            let size = (try? fm.attributesOfItem(atPath: image)[.size] as? UInt64) ?? 1
            print(String(format: "%@ image: %.1f MB (%.2fx smaller than the tree)", algorithm, Double(size) / 1e6, Double(bytes) / Double(max(size, 1))))
            try compareExtract(image: image, label: algorithm, bytes: bytes)
            try smallReadWork(image: image, label: algorithm)
            try? fm.removeItem(atPath: image)
        }
        try? fm.removeItem(atPath: source)
    }

    /// Reads 4 KiB from the middle of the 100 MB file on a freshly opened image and counts the
    /// pclusters decoded: for the page-aligned 4 KiB at the middle (it may straddle two extents,
    /// which then both have to be decoded) and for the first 4 KiB from the middle on that lies
    /// inside one extent (goal: exactly one pcluster).
    func smallReadWork(image path: String, label: String) throws {
        let file = try Image(path: path).resolve("/big/hundred-mb.txt")
        let page = file.size / 2 / 4096 * 4096
        func measure(_ offset: UInt64, _ what: String) throws {
            let image = try Image(path: path)
            var needed = 0
            var at = offset
            while at < offset + 4096 { let e = try image.extent(of: file, at: at); needed += 1; at = e.logicalEnd }
            var decoded = DecompressionStatistics()
            let seconds = try time {
                _ = try image.read(file, at: offset, count: 4096)
                decoded = image.decompressionStatistics
            }
            print(String(format: "%@: 4 KiB at %llu (%@) of a 100 MB file: %d pcluster(s) decoded, %d extent(s) overlap it (%llu bytes in, %llu out), %.3f ms",
                         label, offset, what, decoded.pclustersDecoded, needed, decoded.bytesIn, decoded.bytesOut, seconds * 1000))
        }
        try measure(page, "the page at the middle")
        var inside = page
        let probe = try Image(path: path)
        while true {
            let e = try probe.extent(of: file, at: inside)
            if e.logicalEnd - inside >= 4096 { break }
            inside = e.logicalEnd
        }
        try measure(inside, "inside one extent")
    }

    /// Text-like files (a small vocabulary, about 3x compressible) mixed with random runs,
    /// deterministic; one file of 100 MB and the rest between 4 KiB and 4 MiB.
    func makeCompressibleTree(at root: String, megabytes: Int) throws -> UInt64 {
        var rng = SplitMix(seed: 0x5EED)
        func next() -> UInt64 { rng.next() }
        let words = (0..<150).map { _ in (0..<Int(2 + next() % 9)).map { _ in UInt8(97 + next() % 26) } }
        var pool = [UInt8]()
        pool.reserveCapacity(16 << 20)
        while pool.count < 16 << 20 {
            if next() % 25 == 0 {
                for _ in 0..<Int(200 + next() % 1500) { pool.append(UInt8(truncatingIfNeeded: next())) }
            } else {
                for _ in 0..<Int(50 + next() % 400) { pool += words[Int(next() % 150)]; pool.append(next() % 12 == 0 ? 10 : 32) }
            }
        }
        try fm.createDirectory(atPath: root + "/big", withIntermediateDirectories: true)
        var big = Data(capacity: 100_000_000)
        while big.count < 100_000_000 {
            let start = Int(next() % UInt64(pool.count - (1 << 20)))
            big.append(contentsOf: pool[start..<(start + min(1 << 20, 100_000_000 - big.count))])
        }
        fm.createFile(atPath: root + "/big/hundred-mb.txt", contents: big)
        var total = UInt64(big.count)
        let target = UInt64(megabytes) * 1_000_000
        var index = 0
        let sizes = [4096, 12_000, 65_536, 300_000, 1_048_576, 4_000_000]
        while total < target {
            let dir = root + "/d\(index / 100)"
            if index % 100 == 0 { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let size = sizes[index % sizes.count] + index % 977
            let start = Int(next() % UInt64(pool.count - size))
            fm.createFile(atPath: dir + "/f\(index)", contents: Data(pool[start..<(start + size)]))
            total += UInt64(size)
            index += 1
        }
        return total
    }
}
