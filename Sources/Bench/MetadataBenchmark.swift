import Foundation

/// The metadata walk end to end: `erofs-top ls -R`, `ls -R -l` and `ls -R -l --json` against
/// `fsck.erofs` (no --extract) and `dump.erofs -S` on the same image, all spawned as commands
/// with standard output to /dev/null, alternating, medians; ratios in one run.
extension BenchmarkSuite {
    /// A tool of the sid root run the way its wrapper finally runs it (sid's loader and
    /// libraries), so the wrapper's bash and flock do not count against the C tool.
    func directSidCommand(_ tool: String) -> [String]? {
        let root = ProcessInfo.processInfo.environment["EROFS_UTILS_SID_ROOT"] ?? "/var/cache/erofs-utils-sid"
        let loader = root + "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
        guard tools.version.hasPrefix("1.9"), fm.isExecutableFile(atPath: loader), fm.fileExists(atPath: root + "/usr/bin/" + tool) else { return nil }
        return [loader, "--library-path", root + "/usr/lib/x86_64-linux-gnu:" + root + "/lib/x86_64-linux-gnu", root + "/usr/bin/" + tool]
    }

    func compareMetadataWalk(image: String, label: String, binary: String, runs: Int) throws {
        let fsck = directSidCommand("fsck.erofs") ?? tools.fsck
        let dump = directSidCommand("dump.erofs") ?? ["/usr/bin/dump.erofs"]
        let commands: [(String, [String])] = [
            ("fsck.erofs", fsck + [image]), ("dump.erofs -S", dump + ["-S", image]),
            ("ls -R", [binary, "ls", "-R", image]), ("ls -R -l", [binary, "ls", "-R", "-l", image]),
            ("ls -R -l --json", [binary, "ls", "-R", "-l", "--json", image]),
        ]
        for (_, command) in commands { _ = try BenchProcess.timed(command) }  // page cache and loader warm
        var times = [[Double]](repeating: [], count: commands.count)
        let loadBefore = extractLoadAverage()
        for _ in 0..<runs {
            for (i, (_, command)) in commands.enumerated() { times[i].append(try BenchProcess.timed(command)) }
        }
        let fsckTime = median(times[0])
        print("metadata walk \(label) (load before \(loadBefore), after \(extractLoadAverage()); median of \(runs) alternating runs)")
        for (i, (name, _)) in commands.enumerated() {
            let t = median(times[i])
            print(String(format: "  %-16@ %8.1f ms   fsck time / this %5.2fx", name, t * 1000, fsckTime / t))
        }
    }
}
