import EROFS
import Foundation
import Inspector

/// `report` at scale: 3 images of 100 000 files and a 1-million-event native trace, through a
/// whole session (open, walk, sharing analysis, timeline, replay under all four designs).
extension BenchmarkSuite {
    func reportBenchmark(files: Int, events: Int) throws {
        let root = work + "/report-src"
        try? fm.removeItem(atPath: root)
        var paths: [String] = []
        for i in 0..<files {
            let dir = "/d\(i / 1000)"
            if i % 1000 == 0 { try fm.createDirectory(atPath: root + dir, withIntermediateDirectories: true) }
            let path = dir + "/f\(i)"
            let size = 512 + (i * 7919) % 12_000
            fm.createFile(atPath: root + path, contents: Data(repeating: UInt8(i & 0xff), count: size))
            paths.append(path)
        }
        var images: [String] = []
        for k in 0..<3 {
            let image = work + "/report-\(k).erofs"
            try run(tools.mkfs + ["--quiet", "-T0", image, root])
            images.append(image)
        }
        try? fm.removeItem(atPath: root)
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
        let seconds = try time {
            let session = try Session(config)
            try session.runToEnd()
            report = session.report()
        }
        print(String(format: "report: 3 images x %d files, %d-event trace, 4 designs: %.2f s (goal < 10 s)", files, (events / 4) * 4, seconds))
        if let report { print(report.text) }
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
