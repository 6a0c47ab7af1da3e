import ArgumentParser
import EROFS
import Foundation
import Recorder

/// `erofs-top record`: record a workload's page cache events from the kernel on real mounts.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Mount images read-only, run a command on them, and record its page cache events (root).",
        discussion: """
        Each image is mounted under a temporary folder (or, with --mounted, an existing mount is used) (file-backed mount with device= for blobs, \
        or loop devices). The command sees the mount points as {mnt0}, {mnt1}… or {mnt:NAME} in \
        its arguments and as EROFS_TOP_MNT0…, EROFS_TOP_MNT_<NAME> in its environment. A private \
        ftrace instance records the filemap events of those mounts only; the trace is written in \
        the native format with paths inside the images. Everything is unmounted and removed on \
        exit, also after Ctrl-C or an error.
        Example: erofs-top record --out t.jsonl base.erofs -- sh -c 'cat {mnt0}/usr/bin/* > /dev/null'
        """)

    @Option(name: .customLong("out"), help: "Trace file to write (native JSON Lines).")
    var output: String

    @Option(name: .customLong("blob-dir"), help: "Folder searched for extra devices by tag (default: each image's folder).")
    var blobDirectory: String?

    @Option(name: .customLong("container"), help: ArgumentHelp("Name the containers, in image order (default: image file names).", valueName: "name"))
    var names: [String] = []

    @Option(name: .customLong("duration"), help: "Record for this many seconds (without a command: until then or Ctrl-C).")
    var duration: Double?

    @Option(name: .customLong("mounted"), help: ArgumentHelp("Record on an existing mount of each image, in image order, instead of mounting (it is left mounted).", valueName: "dir"))
    var mounted: [String] = []

    @Flag(name: .customLong("warm"), help: "Keep the page cache as it is and record what is already cached (default: drop caches first); useful with --mounted.")
    var warm = false

    @Flag(name: .customLong("drop-caches"), help: "Drop the page cache before recording (the default).")
    var dropCaches = false

    @Flag(name: .customLong("loop"), help: "Mount over loop devices (autoclear) instead of file-backed mounts.")
    var loop = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Images (PATH[,device=BLOB]...), then -- and the command to run.", valueName: "image... -- command"))
    var arguments: [String] = []

    /// The images: the arguments before `--`.
    var images: [String] { Array(arguments.prefix { $0 != "--" }) }
    /// The command: the arguments after `--`.
    var command: [String] { arguments.firstIndex(of: "--").map { Array(arguments[($0 + 1)...]) } ?? [] }

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
        if warm && dropCaches { throw ValidationError("--warm and --drop-caches exclude each other") }
        if command.isEmpty && duration == nil { throw ValidationError("give a command after -- or a --duration") }
        if !names.isEmpty && names.count != images.count { throw ValidationError("give one --container name per image") }
        if !mounted.isEmpty && mounted.count != images.count { throw ValidationError("give one --mounted folder per image") }
    }

    func run() throws {
        let specs = try images.map { try ImageSpec(parsing: $0, blobDirectory: blobDirectory) }
        let containerNames = names.isEmpty ? specs.map { URL(fileURLWithPath: $0.path).deletingPathExtension().lastPathComponent } : names
        let mountpoints: [String?] = mounted.isEmpty ? specs.map { _ in nil } : mounted
        var plan = RecordingPlan(containers: zip(zip(containerNames, specs), mountpoints).map { .init(name: $0.0, image: $0.1, mountpoint: $1) },
                                 command: command, duration: duration, dropCaches: !warm, output: output)
        plan.loop = loop
        let summary: RecordingSummary
        do {
            summary = try Recorder.record(plan) { FileHandle.standardError.write(Data("erofs-top: \($0)\n".utf8)) }
        } catch let error as RecordError {
            FileHandle.standardError.write(Data("erofs-top: \(error)\n".utf8))
            throw ExitCode(2)
        } catch {
            fail(error)
        }
        let kinds = summary.eventsByKind.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("erofs-top: wrote \(summary.events) events to \(output) (\(kinds))\n".utf8))
        if summary.interrupted { FileHandle.standardError.write(Data("erofs-top: recording interrupted; the trace holds what was recorded\n".utf8)) }
        if let status = summary.commandStatus, status != 0 {
            FileHandle.standardError.write(Data("erofs-top: the command exited with status \(status); trace written anyway\n".utf8))
            throw ExitCode(3)
        }
    }
}
