import JSONOutput
import ArgumentParser
import EROFS
import Foundation
import Inspector

/// `erofs-top replay`: replay a workload; `--batch` prints progress lines and the final table
/// without a terminal UI (for scripts and CI).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a workload through the page cache model (in the UI, or headless with --batch).",
        discussion: "Without images, replays the bundled sample scenario.")

    @OptionGroup var session: SessionOptions

    @Flag(name: .customLong("batch"), help: "No UI: print a top-like frame per --interval of trace time, then the report.")
    var batch = false

    @Option(name: .customLong("interval"), help: "Seconds of trace time between progress lines (default: 1/20 of the trace).")
    var interval: Double?

    @Option(name: .customLong("until"), help: "Stop at this trace time (seconds from the start).")
    var until: Double?

    @Option(name: .customLong("policy"), help: "Designs: all, or a comma list of none, blob, inode, chunk.")
    var policy: String = "all"

    @Flag(name: .customLong("json"), help: "Print JSON Lines: one object per progress line, then the report.")
    var json = false

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let designs = try ReportCommand.parseDesigns(policy)
        let config = try SessionOptions.resolve(session)
        guard batch else {
            try DashboardLauncher.open(config, designs: designs, display: display, defaultSpeed: session.images.isEmpty ? 0.002 : 1)
            return
        }
        runReporting {
            let s = try Session(config, designs: designs)
            // Forward only: no saved moments needed.
            let driver = ReplayDriver(session: s, checkpoints: false)
            let end = min(until ?? s.duration, s.duration)
            let step = max(interval ?? end / 20, 1e-6)
            var t = 0.0
            while true {
                try driver.seek(toTime: t)
                let r = s.report()
                if json {
                    let line = JSONValue.object([("time", .double(s.clock)), ("steps", .int(Int64(s.position))),
                                                 ("charged_bytes", .object(r.policies.map { ($0.design.rawValue, .uint($0.chargedBytes)) }))])
                    Output.shared.line(line.serialized())
                } else {
                    Output.shared.write(r.frame(clock: s.clock, step: s.position, of: s.steps.count) + "\n")
                }
                if t >= end { break }
                t = min(t + step, end)
            }
            let report = s.report()
            if json { Output.shared.line(report.json.serialized()) } else { Output.shared.write("\n" + report.text) }
            Output.shared.flush()
        }
    }
}
