import JSONOutput
import ArgumentParser
import EROFS
import Inspector

struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a directory of an image.")
    @Flag(name: .short, help: "Long listing.") var l = false
    @Flag(name: .customShort("R"), help: "Recurse into subdirectories.") var recursive = false
    @Flag(help: "Print JSON (an array of entries).") var json = false
    @OptionGroup var options: ImageOptions
    @Argument(help: "Path inside the image.") var path: String = "/"

    func run() throws {
        runReporting {
            if let stack = try options.openStack() {
                return try StackCommands.ls(stack, path: path, long: l, recursive: recursive, json: json)
            }
            let image = try options.open()
            // Plain copies: reading an ArgumentParser property per entry costs more than the line.
            let recursive = recursive, path = path
            var output = ListingOutput(image: image, json: json, long: l)
            let start = try image.resolve(path, followFinalSymlink: true)
            if start.type != .directory {
                output.emit(path: path, name: lastPathComponent(path), showsPath: recursive, inode: start)
            } else if recursive {
                var isStart = true
                try image.walkEntries(from: path) { entry in
                    if isStart { isStart = false; return }  // the directory listed is not an entry of itself
                    output.emit(path: entry.path, name: entry.name, shown: entry.path, inode: entry.inode)
                }
            } else {
                let base = path.hasSuffix("/") ? path : path + "/"
                for entry in try image.readDirectory(start) where !entry.isDotOrDotDot {
                    output.emit(path: base + entry.name, name: entry.name, showsPath: false, inode: try image.inode(entry.nid))
                }
            }
            output.finish()
        }
    }
}

struct StatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stat", abstract: "Show an inode: attributes, xattrs and its data mapping.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: ImageOptions
    @Argument(help: "Path inside the image.") var path: String

    func run() throws {
        runReporting {
            if let stack = try options.openStack() { return try StackCommands.stat(stack, path: path, json: json) }
            let image = try options.open()
            let details = try FileDetails(image: image, path: path)
            Output.shared.write(json ? InodeJSON.details(details, image: image).pretty() + "\n" : InodeJSON.detailsText(details, image: image))
            Output.shared.flush()
        }
    }
}

struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat", abstract: "Write a file's content to standard output.")
    @OptionGroup var options: ImageOptions
    @Argument(help: "Path inside the image.") var path: String

    func run() throws {
        runReporting {
            if let stack = try options.openStack() { return try StackCommands.cat(stack, path: path) }
            let image = try options.open()
            let inode = try image.resolve(path, followFinalSymlink: true)
            guard inode.type == .regular else {
                throw EROFSError(.invalidArgument, "not a regular file (\(inode.type.rawValue))", image: image.path, path: path)
            }
            var offset: UInt64 = 0
            while offset < inode.size {
                let chunk: [UInt8]
                do { chunk = try image.read(inode, at: offset, count: 1 << 20) } catch var error as EROFSError {
                    if error.path == nil { error.path = path }
                    throw error
                }
                Output.shared.bytes(chunk)
                offset += UInt64(chunk.count)
            }
        }
    }
}

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Extract the whole tree of an image into a folder.")
    @OptionGroup var options: ImageOptions
    @Argument(help: "Destination folder (created if missing).") var destination: String
    @Flag(help: "Print what was written as JSON.") var json = false

    func run() throws {
        runReporting {
            let s: ExtractSummary
            if let stack = try options.openStack() { s = try StackCommands.extract(stack, to: destination) } else {
                s = try options.open().extract(to: destination)
            }
            let value = JSONValue.object([("files", .int(Int64(s.files))), ("directories", .int(Int64(s.directories))), ("symlinks", .int(Int64(s.symlinks))),
                                          ("hard_links", .int(Int64(s.hardLinks))), ("special_files", .int(Int64(s.specialFiles))), ("skipped", .int(Int64(s.skipped))), ("bytes", .uint(s.bytes))])
            if json { Output.shared.line(value.serialized()) } else {
                Output.shared.line("extracted \(s.files) files (\(s.bytes) bytes), \(s.directories) directories, \(s.symlinks) symlinks, \(s.hardLinks) hard links, \(s.specialFiles) special files\(s.skipped > 0 ? ", skipped \(s.skipped) device nodes (not root)" : "")")
            }
            Output.shared.flush()
        }
    }
}
