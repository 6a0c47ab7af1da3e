import EROFS
import Foundation
import Inspector

/// Issue 15's strace scenario: two containers (the bundled app layers, requests 2.31 and 2.32), each
/// replaying its own strace log of `reads` read calls, through `erofs-top report` as users run
/// it. Reports events per second end to end and peak RSS per event of the child process.
extension BenchmarkSuite {
    func straceBenchmark(reads: Int, cache: String, runs: Int) throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let samples = repo + "/Sources/CLI/Samples"
        let images = [samples + "/layer-requests-2.31.erofs", samples + "/layer-requests-2.32.erofs"]
        let folder = cache + "/strace-\(reads)"
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var logs: [String] = []
        var lines = 0
        for (i, image) in images.enumerated() {
            let catalog = try ImageCatalog(image: try Image(path: image))
            let files = catalog.entries.filter { $0.type == .regular && $0.size > 0 }.map { ($0.path, $0.size) }
            let log = folder + "/c\(i).strace"
            lines += try StraceLog(files: files, reads: reads, seed: UInt64(11 + i)).write(to: log)
            logs.append(log)
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/erofs-top"
        guard fm.isExecutableFile(atPath: binary) else {
            print("strace: build erofs-top first (swift build -c release) to time `erofs-top report`")
            return
        }
        let command = [binary, "report"] + images + ["--container=c0=1", "--container=c1=2", "--trace", "c0=" + logs[0], "--trace", "c1=" + logs[1]]
        let events = 2 * reads
        print("strace: 2 containers x \(reads) reads (\(lines) strace lines in all); \(command.joined(separator: " "))")
        for run in 1...max(1, runs) {
            let (seconds, peakKB) = try timeWithPeakRSS(command)
            print(String(format: "run %d: erofs-top report %.2f s end to end = %.2f M read events/s (goal >= 1); peak RSS %.0f MB = %.0f bytes per read event (goal <= 64)",
                         run, seconds, Double(events) / seconds / 1e6, Double(peakKB) / 1024, Double(peakKB) * 1024 / Double(events)))
        }
    }

    /// Runs `command` (output discarded); wall-clock seconds and the child's peak RSS in KiB.
    ///
    /// The peak is the child's own `VmHWM`, read from /proc every 2 ms while it runs:
    /// `wait4`'s `ru_maxrss` also counts the memory of the bench itself, because the spawned
    /// child shares the bench's address space until it execs (192 MB reported for a 55 MB
    /// report after the strace suite had generated its logs).
    func timeWithPeakRSS(_ command: [String]) throws -> (Double, Int) {
        var pid: pid_t = 0
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { throw BenchError("cannot start \(command[0])") }
        var status: Int32 = 0
        var peakKB = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            guard done == 0 else { throw BenchError("waitpid failed") }
            peakKB = max(peakKB, highWaterKB(of: String(pid)))
            usleep(2000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else { throw BenchError("\(command.joined(separator: " ")) failed with status \(status)") }
        return (seconds, peakKB)
    }
}

/// An `strace -f -tt` log of one process opening files of an image and reading them: `reads`
/// read calls (4 KiB to 64 KiB, sequential through each file, reopening at the end), with the
/// openat and close lines around them. Deterministic for a seed.
struct StraceLog {
    let files: [(path: String, size: UInt64)]
    let reads: Int
    let seed: UInt64

    /// Writes the log unless it is there; returns the number of system-call lines.
    @discardableResult
    func write(to path: String) throws -> Int {
        if let data = FileManager.default.contents(atPath: path) { return data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
        var rng = SplitMix(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(reads * 60)
        var micros: UInt64 = 8 * 3_600_000_000
        var lines = 0
        func line(_ text: String) {
            micros += 3
            let s = micros / 1_000_000, us = micros % 1_000_000
            let clock = String(format: "%02llu:%02llu:%02llu.%06llu", s / 3600, s / 60 % 60, s % 60, us)
            out += Array("4242 \(clock) \(text)\n".utf8)
            lines += 1
        }
        var done = 0
        while done < reads {
            let file = files[Int(rng.next() % UInt64(files.count))]
            line("openat(AT_FDCWD, \"\(file.path)\", O_RDONLY|O_CLOEXEC) = 3")
            var offset: UInt64 = 0
            while done < reads {
                let want = UInt64(4096) << (rng.next() % 5)
                let got = min(want, file.size - offset)
                line("read(3, \"\\177ELF\\2\\1\\1\"..., \(want)) = \(got)")
                done += 1
                offset += got
                if got == 0 || offset >= file.size || rng.next() % 8 == 0 { break }
            }
            line("close(3) = 0")
        }
        try Data(out).write(to: URL(fileURLWithPath: path + ".part"))
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        return lines
    }
}
