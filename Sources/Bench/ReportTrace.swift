import Foundation

/// The `report` benchmark's workload: a native trace of `events` events in which three
/// containers (c0, c1, c2 on the three merged images) take turns accessing files.
///
/// Files are picked with a skew (70 % of accesses go to a hot 15 % of the files, the rest
/// anywhere), so later accesses hit pages earlier ones (or other containers) brought in.
/// Accesses: 60 % import-like reads (open, read 16 KiB, read 64 KiB, close), 25 % two random
/// 4 KiB preads, 10 % an mmap with a fault on page 0, 5 % a directory listing.
struct ReportTrace {
    let paths: [String]
    let events: Int
    let seed: UInt64

    /// Writes the trace to `path` unless it is already there; returns the number of events.
    @discardableResult
    func write(to path: String) throws -> Int {
        if FileManager.default.fileExists(atPath: path) { return events }
        var rng = SplitMix(seed: seed)
        let hot = (0..<paths.count).filter { _ in rng.next() % 100 < 15 }
        var out = "{\"erofs_top_trace\":1,\"containers\":[\"c0\",\"c1\",\"c2\"]}\n"
        out.reserveCapacity(events * 90)
        var written = 0, access = 0
        var micros = 0
        func line(_ c: Int, _ body: String) {
            guard written < events else { return }
            micros += 10
            out += "{\"t\":\(micros / 1_000_000).\(String(micros % 1_000_000 + 1_000_000).dropFirst()),\"c\":\"c\(c)\",\(body)}\n"
            written += 1
        }
        while written < events {
            let c = access % 3
            access += 1
            let file = rng.next() % 100 < 70 ? hot[Int(rng.next() % UInt64(hot.count))] : Int(rng.next() % UInt64(paths.count))
            let path = paths[file]
            let kind = rng.next() % 100
            if kind >= 95 {
                line(c, "\"ev\":\"readdir\",\"path\":\"\(path[..<path.lastIndex(of: "/")!])\"")
                continue
            }
            line(c, "\"ev\":\"open\",\"path\":\"\(path)\",\"fd\":3")
            switch kind {
            case 0..<60:
                line(c, "\"ev\":\"read\",\"fd\":3,\"len\":16384")
                line(c, "\"ev\":\"read\",\"fd\":3,\"len\":65536")
            case 60..<85:
                for _ in 0..<2 { line(c, "\"ev\":\"pread\",\"fd\":3,\"off\":\(rng.next() % 4 * 4096),\"len\":4096") }
            default:
                line(c, "\"ev\":\"mmap\",\"fd\":3,\"off\":0,\"len\":131072")
                line(c, "\"ev\":\"fault\",\"fd\":3,\"page\":0")
            }
            line(c, "\"ev\":\"close\",\"fd\":3")
        }
        try out.write(toFile: path + ".part", atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        return written
    }
}
