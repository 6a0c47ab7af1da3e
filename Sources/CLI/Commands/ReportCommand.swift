import ArgumentParser
import EROFS
import Foundation
import Inspector

/// `erofs-top report`: replay a workload under every sharing design and print the seed-style table.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Replay a workload against images under each sharing design; print page cache per container.",
        discussion: """
        Without images, uses the bundled sample scenario (three containers from the merged sample \
        images replaying kernel-recorded startup traces). Without --trace, every container reads \
        all its files in turn (read-all).
        """)

    @OptionGroup var session: SessionOptions

    @Option(name: .customLong("policy"), help: "Designs to compare: all (none, blob, inode, chunk; and flat when a container is a layer stack), or a comma list of none, blob, inode, chunk, flat.")
    var policy: String = "all"

    @Flag(name: .customLong("json"), help: "Print JSON.")
    var json = false

    @Option(name: .customLong("require-savings"), help: ArgumentHelp("Exit with status 3 when a chosen policy (each one but none) saves less than PCT percent of none's page cache (a CI gate).", valueName: "pct"))
    var requireSavings: Double?

    func run() throws {
        var designs = try ReportCommand.parseDesigns(policy)
        runReporting {
            let config = try SessionOptions.resolve(session)
            // With layer stacks, `all` also shows the flat baseline (what layer sharing saves).
            if policy == "all", config.resolvedContainers().contains(where: \.isStack) { designs.append(.flat) }
            let s = try Session.replayed(config, designs: designs)
            var report = s.report()
            if s.unobservedMappedBytes > 0 && config.mmapFaults == .estimate && !config.replayPageEvents {
                // Mappings without fault events: bound the estimate by replaying them twice more
                // (over the same catalogs and sharing scan, and the same steps when kept).
                var bounds: [UsageReport] = []
                for mode in [MmapFaultEstimate.low, .high] {
                    var c = config
                    c.mmapFaults = mode
                    let b = try Session.replayed(c, designs: designs, reusing: s)
                    bounds.append(b.report(sharing: false))
                    keepUntilExit(b)
                }
                report.attachBounds(low: bounds[0], high: bounds[1])
            }
            if json {
                Output.shared.line(report.json.pretty())
            } else {
                Output.shared.write(report.text)
                for note in SessionNotes.notes(for: s) { Output.shared.line("note: " + note) }
            }
            Output.shared.flush()
            // The process ends here: freeing the model's graphs would only delay the exit.
            keepUntilExit(s)
            if let requireSavings {
                // flat is a baseline below none, never a design to gate on.
                let short = report.policies.filter { $0.design != .none && $0.design != .flat && (report.savedPercent($0) ?? 0) < requireSavings }
                if !short.isEmpty {
                    let list = short.map { "\($0.design.rawValue) saves \(String(format: "%.1f", report.savedPercent($0) ?? 0))%" }.joined(separator: ", ")
                    FileHandle.standardError.write(Data("erofs-top: below --require-savings \(requireSavings)%: \(list)\n".utf8))
                    throw ExitCode(3)
                }
            }
        }
    }

    static func parseDesigns(_ text: String) throws -> [SharingDesign] {
        if text == "all" { return SharingDesign.standard }
        var out: [SharingDesign] = []
        for name in text.split(separator: ",") {
            guard let d = SharingDesign(rawValue: String(name)) else {
                throw ValidationError("--policy: unknown '\(name)' (none, blob, inode, chunk, flat, all)")
            }
            if !out.contains(d) { out.append(d) }
        }
        // `none` is the baseline every saving is measured against.
        if !out.isEmpty && !out.contains(SharingDesign.none) { out.insert(SharingDesign.none, at: 0) }
        return out
    }
}
