import EROFS
import Foundation
import Inspector

/// `report` at scale: 3 images of 100 000 files and a 1-million-event native trace, through a
/// whole session (open, walk, sharing analysis, timeline, replay under all four designs).
extension BenchmarkSuite {
    func reportBenchmark(files: Int, events: Int) throws {
        let (images, paths) = try reportImages(files: files)
        // The trace: each container opens, reads (twice) and closes random files: 4 events each.
        let trace = work + "/report-trace.jsonl"
        var text = "{\"erofs_top_trace\":1,\"containers\":[\"c0\",\"c1\",\"c2\"]}\n"
        var rng = SplitMix(seed: 42)
        var t = 0.0
        for n in 0..<(events / 4) {
            let c = n % 3, path = paths[Int(rng.next() % UInt64(paths.count))]
            t += 0.00001
            text += "{\"t\":\(t),\"c\":\"c\(c)\",\"ev\":\"open\",\"path\":\"\(path)\",\"fd\":3}\n"
            text += "{\"t\":\(t),\"c\":\"c\(c)\",\"ev\":\"read\",\"fd\":3,\"len\":4096}\n"
            text += "{\"t\":\(t),\"c\":\"c\(c)\",\"ev\":\"read\",\"fd\":3,\"len\":65536}\n"
            text += "{\"t\":\(t),\"c\":\"c\(c)\",\"ev\":\"close\",\"fd\":3}\n"
        }
        try text.write(toFile: trace, atomically: false, encoding: .utf8)
        var config = SessionConfiguration(images: images.map { ImageSpec(path: $0) })
        config.containers = (0..<3).map { SessionContainer(name: "c\($0)", image: $0) }
        config.traces = [TraceInput(url: URL(fileURLWithPath: trace))]
        var report: UsageReport?
        var session: Session?
        var rendered = ""
        let open = try time { session = try Session(config) }
        let replay = try time { try session!.runToEnd() }
        let render = try time {
            report = session!.report()
            rendered = report!.text
        }
        print(String(format: "report: 3 images x %d files, %d-event trace, 4 designs: %.2f s (goal < 10 s): open, walk and sharing analysis %.2f s, replay %.2f s, report %.2f s",
                     files, (events / 4) * 4, open + replay + render, open, replay, render))
        print(rendered)
    }

    /// Three real images of `files` small files each (100 B … 3 KB, so mostly inline tails):
    /// the second and third change every 10th and every 5th file of the first. Built once with
    /// mkfs.erofs and kept in `work/report-cache-N` for later runs (the build is not timed).
    func reportImages(files: Int) throws -> (images: [String], paths: [String]) {
        let cache = work + "/report-cache-\(files)"
        let images = (0..<3).map { cache + "/report-\($0).erofs" }
        let paths = (0..<files).map { "/d\($0 / 1000)/f\($0)" }
        if images.allSatisfy({ fm.fileExists(atPath: $0) }) {
            print("report: reusing the images in \(cache)")
            return (images, paths)
        }
        try fm.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let started = Date()
        for (k, image) in images.enumerated() {
            let root = cache + "/src"
            try? fm.removeItem(atPath: root)
            for (i, path) in paths.enumerated() {
                if i % 1000 == 0 { try fm.createDirectory(atPath: root + "/d\(i / 1000)", withIntermediateDirectories: true) }
                let changed = (k == 1 && i % 10 == 0) || (k == 2 && i % 5 == 0)
                let size = 100 + (i * 7919) % 2900
                var bytes = Data("\(path) \(changed ? "v\(k)" : "v0")\n".utf8)
                bytes.append(Data(repeating: UInt8(truncatingIfNeeded: i &* 31), count: size))
                fm.createFile(atPath: root + path, contents: bytes)
            }
            try run(tools.mkfs + ["--quiet", "-T0", image, root])
            try? fm.removeItem(atPath: root)
        }
        print(String(format: "report: built 3 images of %d files in %.0f s (not part of the figure)", files, Date().timeIntervalSince(started)))
        return (images, paths)
    }
}

/// A small deterministic generator for benchmark inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
