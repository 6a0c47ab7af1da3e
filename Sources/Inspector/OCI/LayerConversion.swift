import EROFS
import Foundation

/// A `mkfs.erofs` that can convert tars (`--tar=`, erofs-utils 1.6 and later), as a command line.
public struct TarMkfs: Sendable {
    public var command: [String]

    /// `explicit` (a command line, split on spaces), else `$EROFS_TOP_MKFS`, else `mkfs.erofs`
    /// from PATH; each is accepted only when its `--help` lists `--tar=`.
    public static func find(_ explicit: String? = nil) throws -> TarMkfs {
        var candidates: [[String]] = []
        if let explicit { candidates.append(explicit.split(separator: " ").map(String.init)) }
        else {
            if let env = ProcessInfo.processInfo.environment["EROFS_TOP_MKFS"], !env.isEmpty { candidates.append(env.split(separator: " ").map(String.init)) }
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
                let path = "\(dir)/mkfs.erofs"
                if FileManager.default.isExecutableFile(atPath: path) { candidates.append([path]); break }
            }
        }
        for candidate in candidates where !candidate.isEmpty {
            if let help = try? run(candidate + ["--help"]), help.output.contains("--tar=") { return TarMkfs(command: candidate) }
        }
        throw EROFSError(.invalidArgument, "no mkfs.erofs that converts tars (--tar=, erofs-utils 1.6 or later) among: \(candidates.map { $0.joined(separator: " ") }.joined(separator: "; ")); give one with --mkfs 'COMMAND'")
    }

    /// Runs a command, returning its status and combined output.
    static func run(_ arguments: [String], stdout file: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0].contains("/") ? arguments[0] : "/usr/bin/env")
        process.arguments = arguments[0].contains("/") ? Array(arguments.dropFirst()) : arguments
        let pipe = Pipe()
        if let file {
            FileManager.default.createFile(atPath: file, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: file)
            process.standardError = pipe
        } else {
            process.standardOutput = pipe
            process.standardError = pipe
        }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Converts OCI layers to EROFS images once per layer digest, as containerd's EROFS
/// snapshotter does: `mkfs.erofs --tar=f --aufs` (full images) or `--tar=i --aufs` (index
/// images whose device 1 is the uncompressed layer tar), into `cache/sha256-HEX-f.erofs` (or
/// `-i.erofs` next to `sha256-HEX.tar`). Existing results are reused.
public struct LayerConverter: Sendable {
    public enum Mode: String, Sendable, CaseIterable { case full = "f", index = "i" }
    public var mkfs: TarMkfs
    public var cache: String
    public var mode: Mode

    public init(mkfs: TarMkfs, cache: String, mode: Mode = .full) {
        self.mkfs = mkfs; self.cache = cache; self.mode = mode
    }

    /// The default cache folder: `$XDG_CACHE_HOME/erofs-top/oci`, or `~/.cache/erofs-top/oci`.
    public static var defaultCache: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache"
        return base + "/erofs-top/oci"
    }

    /// The image spec of `layer` converted, converting it now unless the cache holds it.
    /// `converted` is set when a conversion ran.
    public func convert(_ layer: OCILayer, converted: inout Bool) throws -> ImageSpec {
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let image = cache + "/sha256-\(layer.hex)-\(mode.rawValue).erofs"
        let tar = cache + "/sha256-\(layer.hex).tar"
        let spec = ImageSpec(path: image, devices: mode == .index ? [tar] : [])
        if FileManager.default.fileExists(atPath: image) && (mode == .full || FileManager.default.fileExists(atPath: tar)) { return spec }
        let source: String
        switch layer.compression {
        case .none:
            source = layer.path
        case .gzip, .zstd:
            if !FileManager.default.fileExists(atPath: tar) {
                let partial = tar + ".partial-\(getpid())"
                let tool = layer.compression == .gzip ? ["gzip", "-dc", layer.path] : ["zstd", "-dcq", layer.path]
                let result = try TarMkfs.run(tool, stdout: partial)
                guard result.status == 0 else {
                    try? FileManager.default.removeItem(atPath: partial)
                    throw EROFSError(.invalidArgument, "OCI layout: cannot decompress the \(layer.compression.rawValue) layer (\(tool[0]) says: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))", image: layer.path)
                }
                try FileManager.default.moveItem(atPath: partial, toPath: tar)
            }
            source = tar
        }
        if mode == .index && source != tar {
            // Index images point at the tar as their blob: keep it in the cache by digest.
            if !FileManager.default.fileExists(atPath: tar) { try FileManager.default.copyItem(atPath: source, toPath: tar) }
        }
        let partial = image + ".partial-\(getpid())"
        let input = mode == .index ? tar : source
        let result = try TarMkfs.run(mkfs.command + ["--quiet", "--tar=\(mode.rawValue)", "--aufs", partial, input])
        guard result.status == 0, FileManager.default.fileExists(atPath: partial) else {
            try? FileManager.default.removeItem(atPath: partial)
            throw EROFSError(.invalidArgument, "OCI layout: \(mkfs.command.joined(separator: " ")) --tar=\(mode.rawValue) failed (status \(result.status)): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))", image: layer.path)
        }
        try? FileManager.default.removeItem(atPath: image)
        try FileManager.default.moveItem(atPath: partial, toPath: image)
        converted = true
        return spec
    }
}
