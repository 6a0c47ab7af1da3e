import EROFS
import Foundation
import Inspector

/// Issue 15's bounded-memory case: one container replaying a native trace of `events` events
/// (open, reads, close of the bundled app layer's files) through `erofs-top report` as users
/// run it, at 1 M and at `events`: wall time and the child's peak RSS, to show the peak does
/// not grow with the trace.
extension BenchmarkSuite {
    func nativeTraceBenchmark(events: Int, cache: String, runs: Int) throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let image = repo + "/Sources/CLI/Samples/layer-requests-2.31.erofs"
        let catalog = try ImageCatalog(image: try Image(path: image))
        let files = catalog.entries.filter { $0.type == .regular && $0.size > 0 }.map { ($0.path, $0.size) }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/erofs-top"
        guard fm.isExecutableFile(atPath: binary) else {
            print("native: build erofs-top first (swift build -c release) to time `erofs-top report`")
            return
        }
        for count in Set([1_000_000, events]).sorted() {
            let folder = cache + "/native-\(count)"
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let log = folder + "/trace.jsonl"
            try NativeLog(files: files, events: count, seed: 5).write(to: log)
            let command = [binary, "report", image, "--trace", log]
            print("native: \(count) events; \(command.joined(separator: " "))")
            for run in 1...max(1, runs) {
                let (seconds, peakKB) = try timeWithPeakRSS(command)
                print(String(format: "run %d: %d events in %.2f s end to end = %.2f M events/s (goal >= 3); peak RSS %.0f MB = %.1f bytes per event",
                             run, count, seconds, Double(count) / seconds / 1e6, Double(peakKB) / 1024, Double(peakKB) * 1024 / Double(count)))
            }
        }
    }
}

/// A native trace of `events` events: files of an image opened, read sequentially in 4 KiB to
/// 64 KiB pieces and closed. Deterministic for a seed.
struct NativeLog {
    let files: [(path: String, size: UInt64)]
    let events: Int
    let seed: UInt64

    /// Writes the trace unless it is there.
    func write(to path: String) throws {
        if FileManager.default.fileExists(atPath: path) { return }
        FileManager.default.createFile(atPath: path + ".part", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + ".part"))
        var rng = SplitMix(seed: seed)
        var out: [UInt8] = []
        var micros: UInt64 = 0
        var done = 0
        var fd = 0
        func line(_ text: String) {
            micros += 2
            out += Array("{\"t\":\(micros / 1_000_000).\(String(format: "%06llu", micros % 1_000_000)),\(text)}\n".utf8)
            done += 1
        }
        while done < events {
            let file = files[Int(rng.next() % UInt64(files.count))]
            fd += 1
            line("\"ev\":\"open\",\"path\":\"\(file.path)\",\"fd\":\(fd)")
            var offset: UInt64 = 0
            while done < events - 1 && offset < file.size {
                let want = UInt64(4096) << (rng.next() % 5)
                line("\"ev\":\"read\",\"fd\":\(fd),\"len\":\(want)")
                offset += want
                if rng.next() % 8 == 0 { break }
            }
            line("\"ev\":\"close\",\"fd\":\(fd)")
            if out.count > 1 << 22 { handle.write(Data(out)); out.removeAll(keepingCapacity: true) }
        }
        handle.write(Data(out))
        try handle.close()
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
    }
}
