import ArgumentParser
import Foundation
import Inspector
import Live
import TerminalUI

/// `erofs-top live`: the EROFS mounts of this host now, their real page cache, and what each
/// sharing design would keep on the same load.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Show this host's EROFS mounts live: real page cache per image, blob, layer and file, hit rates, and every design's model fed the kernel's events (root).",
        discussion: "Without root: residency of your own files only. Keys as in the UI, plus w to start/stop writing the event stream to a native trace.")

    @Flag(name: .customLong("batch"), help: "No UI: print one sample per interval.")
    var batch = false

    @Flag(name: .customLong("json"), help: "With --batch: one JSON object per line.")
    var json = false

    @Option(name: .customLong("interval"), help: "With --batch: seconds between samples (default 1).")
    var interval: Double = 1

    @Option(name: .customLong("count"), help: "With --batch: stop after N samples (default: until Ctrl-C).")
    var count: Int?

    @Option(name: .customShort("d"), help: "UI refresh delay in tenths of a second (default 10), as htop's -d.")
    var delay: Int = 10

    @Option(name: .customLong("mount"), help: "Only this mount point (repeatable; an overlay's layers come with it).")
    var mounts: [String] = []

    @Option(name: .customLong("policy"), help: "Designs to model: all, or a comma list of none, blob, inode, chunk, flat.")
    var policy: String = "all"

    @Option(name: .customLong("readahead-kb"), help: "Readahead window of the model (default: the first mount's bdi, else 128).")
    var readaheadKB: Int?

    @Option(name: .customLong("trace-out"), help: "Where w writes its trace (each start overwrites it; default: erofs-top-live-TIME.jsonl in the current folder).")
    var traceOut: String?

    @Flag(name: .customLong("no-color"), help: "Monochrome UI.")
    var noColor = false

    @Flag(name: .customLong("ascii"), help: "ASCII-only drawing (automatic when the locale is not UTF-8).")
    var ascii = false

    func validate() throws {
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
        guard delay > 0 else { throw ValidationError("-d must be positive") }
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        if json && !batch { throw ValidationError("--json needs --batch") }
    }

    func run() throws {
        let designs = policy == "all" ? nil : try ReportCommand.parseDesigns(policy)
        if batch {
            let stop = LiveBatch.catchStopSignals()
            let monitor: LiveMonitor
            do { monitor = try openMonitor(designs: designs) } catch { fail(error) }
            LiveBatch.run(monitor, interval: interval, count: count, json: json, stop: stop)
            return
        }
        let options = Dashboard.Options(noColor: noColor, ascii: ascii)
        let terminal: CursesTerminal
        do { terminal = try Dashboard.openTerminal(options: options) } catch let error as TerminalError {
            FileHandle.standardError.write(Data((Dashboard.message(for: error) + "\n  erofs-top live --batch [--json]               (live samples without the terminal UI)\n").utf8))
            throw ExitCode(2)
        }
        let monitor: LiveMonitor
        do { monitor = try openMonitor(designs: designs) } catch {
            terminal.restore()
            fail(error)
        }
        let source = LiveDashboard(monitor: monitor, delay: Double(delay) / 10, traceOut: traceOut)
        let exit: Dashboard.Exit
        do {
            exit = try Dashboard.run(dataSource: source, terminal: terminal, options: options, clock: TestTrapClock.fromEnvironment())
        } catch {
            terminal.restore()
            source.finish()
            fail(error)
        }
        if let written = source.finish() { FileHandle.standardError.write(Data("erofs-top: \(written)\n".utf8)) }
        if case .signal(let s) = exit { Foundation.exit(128 + s) }
    }

    private func openMonitor(designs: [SharingDesign]?) throws -> LiveMonitor {
        var table = try MountTable.read()
        let wanted = Set(mounts.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        if !mounts.isEmpty {
            let overlays = table.filter { $0.fsType == "overlay" && wanted.contains($0.mountPoint) }
            let lowers = Set(overlays.flatMap { LiveInventory.splitLowerDirs($0.option("lowerdir") ?? "") + $0.options("lowerdir+") })
            table = table.filter { wanted.contains($0.mountPoint) || lowers.contains($0.mountPoint) }
        }
        let inventory = LiveInventory.discover(table: table)
        return try LiveMonitor(inventory: inventory, designs: designs, readaheadKB: readaheadKB,
                               watches: { wanted.isEmpty || wanted.contains($0.mountPoint) })
    }
}
