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

    @Option(name: .customLong("policy"), help: "Designs to compare: all, or a comma list of none, blob, inode, chunk.")
    var policy: String = "all"

    @Flag(name: .customLong("json"), help: "Print JSON.")
    var json = false

    @Option(name: .customLong("require-savings"), help: ArgumentHelp("Exit with status 3 when a chosen policy (each one but none) saves less than PCT percent of none's page cache (a CI gate).", valueName: "pct"))
    var requireSavings: Double?

    func run() throws {
        let designs = try ReportCommand.parseDesigns(policy)
        runReporting {
            let config = try SessionOptions.resolve(session)
            let s = try Session(config, designs: designs)
            try s.runToEnd()
            let report = s.report()
            if json {
                Output.shared.line(report.json.pretty())
            } else {
                Output.shared.write(report.text)
                for note in SessionNotes.notes(for: s) { Output.shared.line("note: " + note) }
            }
            Output.shared.flush()
            if let requireSavings {
                let short = report.policies.filter { $0.design != .none && (report.savedPercent($0) ?? 0) < requireSavings }
                if !short.isEmpty {
                    let list = short.map { "\($0.design.rawValue) saves \(String(format: "%.1f", report.savedPercent($0) ?? 0))%" }.joined(separator: ", ")
                    FileHandle.standardError.write(Data("erofs-top: below --require-savings \(requireSavings)%: \(list)\n".utf8))
                    throw ExitCode(3)
                }
            }
        }
    }

    static func parseDesigns(_ text: String) throws -> [SharingDesign] {
        if text == "all" { return SharingDesign.allCases }
        var out: [SharingDesign] = []
        for name in text.split(separator: ",") {
            guard let d = SharingDesign(rawValue: String(name)) else {
                throw ValidationError("--policy: unknown '\(name)' (none, blob, inode, chunk, all)")
            }
            if !out.contains(d) { out.append(d) }
        }
        if out.first != .none && !out.contains(.none) { out.insert(.none, at: 0) }
        return out
    }
}
