import Foundation

/// `export` at fleet scale (issue 18): N images of 100 000 files each exported image-parallel
/// by the `erofs-top` executable, end to end (process start to exit, every file read and
/// hashed, every table written). The images are the report scenario's three merged images
/// (`ReportScenario`, cached), each given under N / 3 names (hard links in one folder with the
/// layers they reference): the export does the whole work for every name.
extension BenchmarkSuite {
    func exportBenchmark(images count: Int, files: Int, jobs: [Int], formats: String, cache: String) throws {
        guard tools.version.hasPrefix("1.9") else {
            throw BenchError("the export benchmark uses the report scenario's merged images: it needs erofs-utils 1.9 (../shared/tools/erofs-utils-sid)")
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/erofs-top"
        guard fm.isExecutableFile(atPath: binary) else { throw BenchError("build erofs-top first (swift build -c release)") }
        let scenario = ReportScenario(files: files)
        let source = cache + "/report-" + scenario.key
        let merged = try scenario.images(in: source, mkfs: tools.mkfs) { print($0) }
        let fleet = work + "/export-fleet"
        try? fm.removeItem(atPath: fleet)
        try fm.createDirectory(atPath: fleet, withIntermediateDirectories: true)
        for layer in ["base", "app-v1", "app-v2", "app-v3"] {
            try fm.linkItem(atPath: source + "/layer-\(layer).erofs", toPath: fleet + "/layer-\(layer).erofs")
        }
        let names = (0..<count).map { String(format: "%@/image-%03d.erofs", fleet, $0) }
        for (i, name) in names.enumerated() { try fm.linkItem(atPath: merged[i % merged.count], toPath: name) }
        print("export: \(count) images of \(files) files (the report scenario's 3 merged images under \(count) names), formats \(formats)")
        let out = work + "/export-out"
        for j in jobs {
            try? fm.removeItem(atPath: out)
            let seconds = try BenchProcess.timed([binary, "export", "--out", out, "--jobs", String(j), "--format", formats] + names)
            let bytes = try outputBytes(out)
            print(String(format: "export --jobs %d: %.1f s end to end, %.2f s per image, %.0f files/s; %.2f GB written; load %@",
                         j, seconds, seconds / Double(count), Double(count * files) / seconds, Double(bytes) / 1e9, loadAverage()))
        }
        try? fm.removeItem(atPath: out)
        try? fm.removeItem(atPath: fleet)
    }

    private func outputBytes(_ folder: String) throws -> UInt64 {
        var total: UInt64 = 0
        for table in ["files", "chunks", "pages"] {
            for name in try fm.contentsOfDirectory(atPath: folder + "/" + table) {
                total += (try fm.attributesOfItem(atPath: "\(folder)/\(table)/\(name)")[.size] as? UInt64) ?? 0
            }
        }
        return total
    }

    private func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
