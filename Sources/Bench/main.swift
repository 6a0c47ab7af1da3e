import TerminalUI
import EROFS
import Foundation

// erofs-top-bench: the benchmarks behind BENCHMARKS.md. Run with
//   swift run -c release erofs-top-bench [reader] [compressed] [model] [ui] [report] [--work DIR] [--mb N] [--inodes N]
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
let suites = arguments.filter { !$0.hasPrefix("--") && Int($0) == nil && !$0.hasPrefix("/") }

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
if suites.isEmpty || suites.contains("report") {
    // Images and trace are cached under .build/bench-cache (or --cache DIR) by parameters.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.reportBenchmark(files: Int(option("--files", "100000"))!, events: Int(option("--events", "1000000"))!,
                              cache: option("--cache", repo + "/.build/bench-cache"), runs: Int(option("--runs", "2"))!)
}
if suites.contains("export") {
    // Not in the default set: it writes gigabytes. Images cached as for `report`.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    try suite.exportBenchmark(images: Int(option("--images", "100"))!, files: Int(option("--files", "100000"))!,
                              jobs: option("--jobs", "2").split(separator: ",").compactMap { Int($0) }, formats: option("--format", "jsonl,csv"),
                              cache: option("--cache", repo + "/.build/bench-cache"))
}
