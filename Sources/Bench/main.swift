import TerminalUI
import EROFS
import Foundation

// erofs-top-bench: the benchmarks behind BENCHMARKS.md. Run with
//   swift run -c release --static-swift-stdlib erofs-top-bench [reader] [compressed] [model] [ui] [report] [--work DIR] [--mb N] [--inodes N]
//                                        [--files N] [--events N] [--cache DIR] [--runs N]
//                                        [export] [--images N] [--jobs 1,2] [--format jsonl,csv]
// It builds real images with mkfs.erofs (erofs-utils 1.9 through ../shared/tools/erofs-utils-sid
// when available, else Debian's 1.5), then measures erofs-top against fsck.erofs side by side.

setvbuf(stdout, nil, _IOLBF, 0)  // progress lines show up at once when the output goes to a file
var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    if let i = arguments.firstIndex(of: name), i + 1 < arguments.count { return arguments[i + 1] }
    return fallback
}
let work = option("--work", NSTemporaryDirectory() + "erofs-top-bench")
let megabytes = Int(option("--mb", "256"))!
let inodeCount = Int(option("--inodes", "100000"))!
let knownSuites = ["reader", "compressed", "model", "ui", "ui-session", "report", "seek", "strace", "native", "extract", "export"]
let usage = """
    usage: erofs-top-bench [SUITE...] [--work DIR] [--mb N] [--inodes N] [--files N] [--events N] [--cache DIR] [--runs N]

    Runs the benchmarks behind BENCHMARKS.md (build with -c release --static-swift-stdlib). SUITE is one or more of:
      reader      extract of a plain and a chunked image against fsck.erofs --extract; ls -R -l --json walk
      compressed  extract of lz4hc and zstd images against fsck.erofs --extract; single 4 KiB reads
      model       page cache model: memory per page, page events/s, modelled read events/s
      ui          dashboard frame times at 200x60 over 3 x 100 000 files (synthetic source)
      ui-session  the same through the real session adapter (report scenario, 1 M events)
      report      erofs-top report over 3 merged images x --files files and a --events trace, by phase
      seek        seeks of a replay of the report scenario (--files, --events) to 10 random events
      strace      erofs-top report end to end: 2 containers replaying strace logs of --reads reads each (default 1000000)
      native      erofs-top report end to end of a native trace of 1 M and --events events (default 10000000): time, peak RSS
      extract     (only when named) `erofs-top extract` against `fsck.erofs --extract`, both as commands, on
                  plain, 1 MiB-chunked, lz4hc, deflate, zstd and lzma images of --tree plus a few large
                  files, --runs alternating runs each (default 5), outputs compared; --work should be on tmpfs
      export      (only when named) exports of --images images
    With no SUITE, all but extract and export run. Options:
      --work DIR     scratch folder (default: $TMPDIR/erofs-top-bench)
      --mb N         size of the extract trees in MB (default 256)
      --inodes N     files in the metadata-walk image (default 100000)
      --files N, --events N, --cache DIR, --runs N   the report suite's scale, image cache and runs
      --tree DIR     the extract suite's real tree (default /usr/lib/python3.11)
      --kinds A,B    the extract suite's image kinds (default plain,chunked-1MiB,lz4hc,deflate,zstd,lzma)
    erofs-utils 1.9 comes from $EROFS_UTILS_SID (default ../shared/tools/erofs-utils-sid) with its root at
    $EROFS_UTILS_SID_ROOT (default /var/cache/erofs-utils-sid); without it, Debian's 1.5 is used.

    """
if arguments.contains("--help") || arguments.contains("-h") {
    print(usage, terminator: "")
    exit(0)
}
let valueOptions: Set<String> = ["--work", "--mb", "--inodes", "--files", "--events", "--cache", "--runs", "--tree", "--kinds", "--images", "--jobs", "--format", "--reads"]
var suites: [String] = []
var index = 0
while index < arguments.count {
    let argument = arguments[index]
    if valueOptions.contains(argument) { index += 2; continue }
    if argument.hasPrefix("-") || !knownSuites.contains(argument) {
        FileHandle.standardError.write(Data("erofs-top-bench: unknown argument '\(argument)'\n\n\(usage)".utf8))
        exit(64)
    }
    suites.append(argument)
    index += 1
}

let suite = BenchmarkSuite(work: work)
if suites.isEmpty || suites.contains("reader") {
    try suite.readerBenchmarks(megabytes: megabytes, inodes: inodeCount)
}
if suites.isEmpty || suites.contains("compressed") {
    try suite.compressedBenchmarks(megabytes: max(megabytes, 220))
}
if suites.isEmpty || suites.contains("model") {
    CacheModelBenchmarks().run()
}
if suites.isEmpty || suites.contains("ui") {
    // Frames of the dashboard at 200×60 over a synthetic source of 3 images × 100 000 files
    // whose replay advances between frames (TerminalUI's DashboardBenchmark).
    print(try DashboardBenchmark.measureFrames())
}
if suites.isEmpty || suites.contains("ui-session") {
    // The report scenario's images and trace, cached as for `report`.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.sessionFrameBenchmark(files: Int(option("--files", "100000"))!, events: Int(option("--events", "1000000"))!,
                                    cache: option("--cache", repo + "/.build/bench-cache"))
}
if suites.isEmpty || suites.contains("report") {
    // Images and trace are cached under .build/bench-cache (or --cache DIR) by parameters.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.reportBenchmark(files: Int(option("--files", "100000"))!, events: Int(option("--events", "1000000"))!,
                              cache: option("--cache", repo + "/.build/bench-cache"), runs: Int(option("--runs", "2"))!)
}
if suites.isEmpty || suites.contains("strace") {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.straceBenchmark(reads: Int(option("--reads", "1000000"))!, cache: option("--cache", repo + "/.build/bench-cache"),
                              runs: Int(option("--runs", "2"))!)
}
if suites.contains("native") {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.nativeTraceBenchmark(events: Int(option("--events", "10000000"))!, cache: option("--cache", repo + "/.build/bench-cache"),
                                   runs: Int(option("--runs", "1"))!)
}
if suites.isEmpty || suites.contains("seek") {
    // The report scenario's images and trace, cached as for `report`.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.seekBenchmark(files: Int(option("--files", "100000"))!, events: Int(option("--events", "1000000"))!,
                            cache: option("--cache", repo + "/.build/bench-cache"))
}
if suites.contains("extract") {
    // Not in the default set: it takes minutes. The work folder should be on tmpfs (/dev/shm).
    let extractSuite = BenchmarkSuite(work: option("--work", "/dev/shm/erofs-top-bench-extract"))
    try extractSuite.extractBenchmarks(tree: option("--tree", "/usr/lib/python3.11"), runs: Int(option("--runs", "5"))!,
                                       kinds: arguments.contains("--kinds") ? option("--kinds", "").split(separator: ",").map(String.init) : nil)
}
if suites.contains("export") {
    // Not in the default set: it writes gigabytes. Images cached as for `report`.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.exportBenchmark(images: Int(option("--images", "100"))!, files: Int(option("--files", "100000"))!,
                              jobs: option("--jobs", "2").split(separator: ",").compactMap { Int($0) }, formats: option("--format", "jsonl,csv"),
                              cache: option("--cache", repo + "/.build/bench-cache"))
}
