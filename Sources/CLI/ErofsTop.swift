import ArgumentParser
import EROFS
import Foundation

@main
struct ErofsTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erofs-top",
        abstract: "Inspect EROFS images and the page cache they share.",
        discussion: "Images are given as PATH[,device=BLOB]...; extra devices are otherwise found by tag in --blob-dir (default: the image's folder).",
        subcommands: subcommands,
        defaultSubcommand: namesOtherSubcommand(CommandLine.arguments.dropFirst().first) ? nil : UICommand.self)

    static let subcommands: [ParsableCommand.Type] = [UICommand.self, InfoCommand.self, LsCommand.self, StatCommand.self, CatCommand.self, ExtractCommand.self, ReportCommand.self, ReplayCommand.self, RecordCommand.self, LiveCommand.self, ExportCommand.self]

    /// Whether `argument` names a subcommand other than the default (`ui`). The default is only
    /// declared when it can apply: ArgumentParser builds the default's whole argument set (the
    /// UI's ~25 options) at every parse, to see whether it takes passthrough arguments, which
    /// cost every other command ~1 ms. A first argument that names a subcommand is always parsed
    /// as that subcommand, so the default plays no part then.
    static func namesOtherSubcommand(_ argument: String?) -> Bool {
        guard let named = subcommand(named: argument) else { return false }
        return named != UICommand.self
    }

    /// The subcommand `argument` names (by name or alias), if any.
    static func subcommand(named argument: String?) -> ParsableCommand.Type? {
        guard let argument else { return nil }
        return subcommands.first { $0._commandName == argument || $0.configuration.aliases.contains(argument) }
    }

    /// A command named by the first argument is parsed by its own type: parsing from the root
    /// reflects over every subcommand's arguments first, a few milliseconds of a command that
    /// takes tens. Anything that does not parse that way (help, errors) goes through the root
    /// as usual, so messages and exit codes are the root's.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let name = arguments.first, arguments.count > 1,
           let type = subcommand(named: name),
           var command = try? type.parse(Array(arguments.dropFirst())) {
            do { try command.run() } catch { exit(withError: error) }
            return
        }
        main(nil)
    }
}

/// Options shared by every command that opens one image.
struct ImageOptions: ParsableArguments {
    @Argument(help: "The image: PATH[,device=BLOB]..., or a layer stack LOWER+...+UPPER (overlayfs semantics).")
    var image: String

    @Option(name: .customLong("blob-dir"), help: "Folder searched for extra devices by tag (default: the image's folder).")
    var blobDirectory: String?

    /// Opens the image (metadata-only when blobs are missing: only data reads fail). For a
    /// layer stack, the topmost layer.
    func open(allowMissingDevices: Bool = true) throws -> Image {
        var spec = try ImageSpec.parseStack(image, blobDirectory: blobDirectory).last!
        spec.allowMissingDevices = allowMissingDevices
        let image = try Image(spec)
        image.cachesMetadata = true // a one-shot command: nothing re-reads after a change
        return image
    }

    /// The layer stack when the argument is `LOWER+...+UPPER`; nil for a single image.
    func openStack() throws -> LayerStack? {
        let specs = try ImageSpec.parseStack(image, blobDirectory: blobDirectory)
        guard specs.count > 1 else { return nil }
        let stack = try LayerStack(specs.map { var s = $0; s.allowMissingDevices = true; return s })
        for layer in stack.layers { layer.cachesMetadata = true }
        return stack
    }
}

/// Prints an error the way every command does and exits with status 1.
func fail(_ error: Error) -> Never {
    FileHandle.standardError.write(Data("erofs-top: \(error)\n".utf8))
    Foundation.exit(1)
}

/// Runs a command body, turning reader errors into a message and exit status 1.
func runReporting(_ body: () throws -> Void) {
    do { try body() } catch let error as EROFSError { fail(error) } catch let error as CleanExit { ErofsTop.exit(withError: error) } catch let error as ExitCode { ErofsTop.exit(withError: error) } catch let error as ValidationError { ErofsTop.exit(withError: error) } catch { fail(error) }
}

/// Keeps `object` alive until the process exits, for a command about to end: the operating
/// system takes back its memory at once, where releasing a session's graphs object by object
/// takes a noticeable part of a large report.
func keepUntilExit(_ object: AnyObject) {
    _ = Unmanaged.passRetained(object)
}

/// Buffered standard output (much faster than print for large listings).
final class Output {
    static let shared = Output()
    private var buffer: [UInt8] = []
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }
    func line(_ s: String) { write(s); write("\n") }
    func bytes(_ b: [UInt8]) {
        flush()
        b.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(1, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { return }
                done += n
            }
        }
    }
    func flush() {
        guard !buffer.isEmpty else { return }
        let b = buffer
        buffer.removeAll(keepingCapacity: true)
        bytes(b)
    }
}
