import EROFS
import Foundation
import Inspector

/// `ls`, `stat`, `cat` and `extract` on a layer stack (`LOWER+...+UPPER`): the merged view,
/// each entry naming the layer it comes from.
enum StackCommands {
    static func ls(_ stack: LayerStack, path: String, long: Bool, recursive: Bool, json: Bool) throws {
        let out = Output.shared
        if json { out.write("[") }
        var first = true
        func emit(_ entry: MergedEntry, shownName: String) {
            let image = stack.layers[entry.layer]
            if json {
                out.write(first ? "\n" : ",\n")
                let value = InodeJSON.listing(path: entry.path, name: entry.name, inode: entry.inode, image: image)
                out.write(StackJSON.adding(layerOf: entry, in: stack, to: value).serialized())
            } else if long {
                out.line(InodeJSON.listingLine(name: shownName, inode: entry.inode, image: image, layer: stack.labels[entry.layer]))
            } else {
                out.line(shownName)
            }
            first = false
        }
        let start = try stack.resolve(path, followFinalSymlink: true)
        if start.type != .directory {
            emit(start, shownName: path)
        } else if recursive {
            try stack.walk(from: path) { event in
                if case .entry(let entry) = event, entry.path != start.path { emit(entry, shownName: entry.path) }
            }
        } else {
            for child in try stack.children(of: start) { emit(child, shownName: child.name) }
        }
        if json { out.write(first ? "]\n" : "\n]\n") }
        out.flush()
        reportUnmodelled(stack)
    }

    static func stat(_ stack: LayerStack, path: String, json: Bool) throws {
        let entry = try stack.resolve(path)
        let image = stack.layers[entry.layer]
        let details = try withLocation(image.path, path) { try FileDetails(image: image, inode: entry.inode, path: entry.path) }
        if json {
            Output.shared.write(StackJSON.adding(layerOf: entry, in: stack, to: InodeJSON.details(details, image: image)).pretty() + "\n")
        } else {
            Output.shared.write(StackJSON.layerText(entry, in: stack) + InodeJSON.detailsText(details, image: image))
        }
        Output.shared.flush()
        reportUnmodelled(stack)
    }

    static func cat(_ stack: LayerStack, path: String) throws {
        let entry = try stack.resolve(path, followFinalSymlink: true)
        guard entry.type == .regular else {
            throw EROFSError(.invalidArgument, "not a regular file (\(entry.type.rawValue))", image: stack.layers[entry.layer].path, path: path)
        }
        var offset: UInt64 = 0
        while offset < entry.inode.size {
            let chunk = try stack.read(entry, at: offset, count: 1 << 20)
            Output.shared.bytes(chunk)
            offset += UInt64(chunk.count)
        }
    }

    static func extract(_ stack: LayerStack, to destination: String) throws -> ExtractSummary {
        let summary = try stack.extract(to: destination)
        reportUnmodelled(stack)
        return summary
    }

    private static func withLocation<T>(_ image: String, _ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch var error as EROFSError {
            if error.image == nil { error.image = image }
            if error.path == nil { error.path = path }
            throw error
        }
    }

    private static func reportUnmodelled(_ stack: LayerStack) {
        for note in StackJSON.unmodelledNotes(stack) { FileHandle.standardError.write(Data("erofs-top: note: \(note)\n".utf8)) }
    }
}
