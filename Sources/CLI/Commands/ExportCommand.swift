import ArgumentParser
import EROFS
import Foundation
import Inspector

/// `erofs-top export`: per image, `files`, `chunks` and `pages` tables as JSON Lines and CSV,
/// for DuckDB or Spark (docs/export-schema.md, docs/export-queries.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write each image's files, chunks and pages as JSON Lines and CSV tables for DuckDB or Spark.",
        discussion: """
        Images are taken as report takes them (PATH[,device=BLOB]..., stacks LOWER+...+UPPER, \
        --container NAME=IMAGE, --oci); each container is one exported image, named as report \
        names it. Tables go to DIR/files, DIR/chunks and DIR/pages, one file per image and \
        format. Schema: docs/export-schema.md; queries that reproduce report's read-all figures: \
        docs/export-queries.md.
        """)

    @Argument(help: "Images: PATH[,device=BLOB]..., or layer stacks LOWER+...+UPPER.")
    var images: [String] = []

    @Option(name: .customLong("out"), help: "Folder to write the tables into (created if missing).")
    var out: String

    @Option(name: .customLong("jobs"), help: "Images exported at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("format"), help: "Comma list of formats: jsonl, csv (default: both).")
    var format: String = "jsonl,csv"

    @Flag(name: .customLong("metadata-only"), help: "Do not read file data: no computed fingerprints, chunk or page digests (fast).")
    var metadataOnly = false

    @Option(name: .customLong("blob-dir"), help: "Folder searched for extra devices by tag (default: each image's folder).")
    var blobDirectory: String?

    @Option(name: .customLong("container"), help: ArgumentHelp("An image NAME=IMAGE or NAME=L1+L2 (as report's --container); repeatable.", valueName: "name=image"))
    var containers: [String] = []

    @Option(name: .customLong("oci"), help: ArgumentHelp("An OCI image layout [NAME=]DIR[:REF], converted as report converts it; repeatable.", valueName: "[name=]dir[:ref]"))
    var ociLayouts: [String] = []

    @Option(name: .customLong("oci-mode"), help: "How OCI layers are converted: f (default) or i.")
    var ociMode: LayerConverter.Mode = .full

    @Option(name: .customLong("oci-cache"), help: "Folder of converted OCI layers (default: $XDG_CACHE_HOME/erofs-top/oci).")
    var ociCache: String?

    @Option(name: .customLong("mkfs"), help: "The mkfs.erofs command that converts OCI layers.")
    var mkfs: String?

    func validate() throws {
        guard jobs >= 1, jobs <= 1024 else { throw ValidationError("--jobs must be 1…1024") }
        _ = try formats()
    }

    func formats() throws -> [ExportFormat] {
        var out: [ExportFormat] = []
        for name in format.split(separator: ",") {
            guard let f = ExportFormat(rawValue: String(name)) else { throw ValidationError("--format: jsonl, csv or both (jsonl,csv)") }
            if !out.contains(f) { out.append(f) }
        }
        guard !out.isEmpty else { throw ValidationError("--format: jsonl, csv or both (jsonl,csv)") }
        return out
    }

    /// The images to export, resolved exactly as `report` resolves its containers.
    func units() throws -> [ExportUnit] {
        var arguments = images
        if let blobDirectory { arguments += ["--blob-dir", blobDirectory] }
        arguments += containers.flatMap { ["--container", $0] }
        arguments += ociLayouts.flatMap { ["--oci", $0] }
        arguments += ["--oci-mode", ociMode.rawValue]
        if let ociCache { arguments += ["--oci-cache", ociCache] }
        if let mkfs { arguments += ["--mkfs", mkfs] }
        let config = try SessionOptions.parse(arguments).configuration()
        let units = config.resolvedContainers().map { container in
            ExportUnit(name: container.name, layers: container.layers.map { config.images[$0] },
                       labels: container.layers.map { config.imageLabels[$0] ?? URL(fileURLWithPath: config.images[$0].path).lastPathComponent })
        }
        var seen: [String: String] = [:]
        for unit in units {
            if let other = seen[unit.fileName] {
                throw ValidationError("images '\(other)' and '\(unit.name)' would both be written as \(unit.fileName): name one with --container NAME=IMAGE")
            }
            seen[unit.fileName] = unit.name
        }
        return units
    }

    func run() throws {
        runReporting {
            let units = try units()
            var options = ExportOptions()
            options.formats = try formats()
            options.readData = !metadataOnly
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let start = Date()
            let results = FleetExport.run(units, into: out, jobs: jobs, options: options) { result in
                switch result {
                case .success(let s):
                    var line = "\(s.name): \(s.files) files, \(s.chunks) chunks, \(s.pages) pages (\(String(format: "%.2f", s.seconds)) s)"
                    if s.filesWithoutData > 0 { line += "; \(s.filesWithoutData) files without data (missing blob)" }
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                case .failure(let error):
                    FileHandle.standardError.write(Data("erofs-top: \(error)\n".utf8))
                }
            }
            let failed = results.filter { if case .failure = $0 { return true } else { return false } }.count
            let seconds = Date().timeIntervalSince(start)
            FileHandle.standardOutput.write(Data("exported \(results.count - failed) of \(results.count) images into \(out) in \(String(format: "%.2f", seconds)) s (\(min(jobs, max(1, units.count))) jobs, schema \(ExportSchema.version))\n".utf8))
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
