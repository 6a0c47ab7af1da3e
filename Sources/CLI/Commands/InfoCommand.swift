import ArgumentParser
import EROFS
import Inspector

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show the superblock, features and devices of an image.")
    @OptionGroup var options: ImageOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        runReporting {
            let image = try options.open(allowMissingDevices: true)
            let value = ImageInfo(image: image).json
            if json { Output.shared.line(value.pretty()) } else { Output.shared.write(ImageInfo(image: image).text) }
            Output.shared.flush()
        }
    }
}
