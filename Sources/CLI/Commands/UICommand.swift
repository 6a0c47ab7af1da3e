import ArgumentParser
import Foundation
import Inspector

/// The default command: the terminal UI on the given images (or the bundled sample scenario).
struct UICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Open the terminal UI (the default; `erofs-top` alone or `erofs-top demo` opens the bundled sample scenario).",
        discussion: "Takes the same image and workload options as `report`. Press ? in the UI for keys.",
        aliases: ["demo"])

    @OptionGroup var session: SessionOptions
    @OptionGroup var display: DisplayOptions

    @Option(name: .customLong("policy"), help: "Designs to model: all, or a comma list of none, blob, inode, chunk.")
    var policy: String = "all"

    func run() throws {
        let designs = try ReportCommand.parseDesigns(policy)
        let config = try SessionOptions.resolve(session)
        try DashboardLauncher.open(config, designs: designs, display: display, defaultSpeed: session.images.isEmpty ? 0.002 : 1)
    }
}
