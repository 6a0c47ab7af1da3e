import Foundation

/// Several EROFS layer images seen through overlayfs semantics, lowest layer first (the order
/// of an OCI manifest): upper names hide lower ones, whiteouts delete, opaque directories hide
/// the lower directories (see `OverlayRole` for the encodings understood). Symlinks and hard
/// links resolve inside the merged view. Each layer stays an ordinary `Image`; the stack only
/// decides which layer's inode a name means.
public final class LayerStack: @unchecked Sendable {
    /// The layers, lowest first.
    public let layers: [Image]
    /// Short names of the layers for listings (the image file names by default).
    public let labels: [String]
    private let lock = NSLock()
    private var unmodelled: [UnmodelledOverlayFeature: String] = [:]

    /// A stack of opened layers, lowest first.
    public init(layers: [Image], labels: [String]? = nil) {
        precondition(!layers.isEmpty, "a stack has at least one layer")
        self.layers = layers
        self.labels = labels ?? layers.map { URL(fileURLWithPath: $0.path).lastPathComponent }
    }

    /// Opens each layer of `specs` (lowest first).
    public convenience init(_ specs: [ImageSpec]) throws {
        try self.init(layers: specs.map { try Image($0) })
    }

    /// Overlayfs features seen so far that erofs-top does not model, each with the first path
    /// that uses it (redirect_dir, metacopy): results for those paths are not the kernel's.
    public var unmodelledFeatures: [(feature: UnmodelledOverlayFeature, path: String)] {
        lock.lock(); defer { lock.unlock() }
        return UnmodelledOverlayFeature.allCases.compactMap { f in unmodelled[f].map { (f, $0) } }
    }

    // MARK: Merged tree

    /// The merged root directory.
    public func root() throws -> MergedEntry {
        var parts: [LayerInode] = []
        for layer in layers.indices.reversed() {
            let inode = try layers[layer].rootInode()
            parts.append(LayerInode(layer: layer, inode: inode))
            if try isOpaque(parts.last!) { break }
        }
        return MergedEntry(path: "/", name: "/", layer: parts[0].layer, inode: parts[0].inode, directories: parts)
    }

    /// The merged children of a directory, sorted by name.
    public func children(of directory: MergedEntry) throws -> [MergedEntry] {
        guard directory.type == .directory else {
            throw EROFSError(.notADirectory, "not a directory", image: layers[directory.layer].path, nid: directory.inode.nid, path: directory.path)
        }
        let base = directory.path == "/" ? "/" : directory.path + "/"
        // nil: deleted by a whiteout in an upper layer.
        var decided: [[UInt8]: MergedEntry?] = [:]
        for (position, part) in directory.directories.enumerated() {
            let image = layers[part.layer]
            let entries = try withLocation(image: image.path, path: directory.path) { try image.readDirectory(part.inode) }
            var ociWhiteouts: [[UInt8]] = []
            for entry in entries where !entry.isDotOrDotDot && decided[entry.nameBytes] == nil {
                let path = base + entry.name
                let inode = try withLocation(image: image.path, path: path) { try image.inode(entry.nid) }
                switch try withLocation(image: image.path, path: path, { try OverlayMarkers.role(name: entry.nameBytes, inode: inode, image: image) }) {
                case .ociOpaque:
                    continue
                case .ociWhiteout(let name):
                    ociWhiteouts.append(name)
                case .whiteout:
                    decided[entry.nameBytes] = .some(nil)
                case .normal:
                    decided[entry.nameBytes] = try entryFor(name: entry.nameBytes, path: path, inode: inode, at: position, in: directory.directories)
                }
            }
            // An OCI whiteout hides the name in the layers below its own.
            for name in ociWhiteouts where decided[name] == nil { decided[name] = .some(nil) }
        }
        return decided.compactMap { $0.value }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The merged entry for `name` in a directory, nil if there is none (or it is whited out).
    public func child(named name: String, of directory: MergedEntry) throws -> MergedEntry? {
        let bytes = Array(name.utf8)
        let path = (directory.path == "/" ? "/" : directory.path + "/") + name
        for (position, part) in directory.directories.enumerated() {
            let image = layers[part.layer]
            if let entry = try withLocation(image: image.path, path: path, { try image.lookup(bytes, in: part.inode) }) {
                let inode = try withLocation(image: image.path, path: path) { try image.inode(entry.nid) }
                switch try withLocation(image: image.path, path: path, { try OverlayMarkers.role(name: bytes, inode: inode, image: image) }) {
                case .ociOpaque, .ociWhiteout:
                    return nil   // marker files are never visible names
                case .whiteout:
                    return nil
                case .normal:
                    return try entryFor(name: bytes, path: path, inode: inode, at: position, in: directory.directories)
                }
            }
            if try image.lookup(OverlayMarkers.ociPrefix + bytes, in: part.inode) != nil { return nil }
        }
        return nil
    }

    /// The entry for a name found as `inode` in the parent's part `position`; a directory merges
    /// the same name's directories of the lower parts, down to a whiteout, a non-directory or an opaque one.
    private func entryFor(name: [UInt8], path: String, inode: Inode, at position: Int, in parents: [LayerInode]) throws -> MergedEntry {
        let top = parents[position]
        noteUnmodelled(inode, layer: top.layer, path: path)
        let display = String(decoding: name, as: UTF8.self)
        guard inode.type == .directory else {
            return MergedEntry(path: path, name: display, layer: top.layer, inode: inode, directories: [])
        }
        var parts = [LayerInode(layer: top.layer, inode: inode)]
        if try !isOpaque(parts[0]) {
            lower: for parent in parents[(position + 1)...] {
                let image = layers[parent.layer]
                if let entry = try image.lookup(name, in: parent.inode) {
                    let lowerInode = try withLocation(image: image.path, path: path) { try image.inode(entry.nid) }
                    guard lowerInode.type == .directory,
                          try OverlayMarkers.role(name: name, inode: lowerInode, image: image) == .normal else { break lower }
                    parts.append(LayerInode(layer: parent.layer, inode: lowerInode))
                    if try isOpaque(parts.last!) { break lower }
                } else if try image.lookup(OverlayMarkers.ociPrefix + name, in: parent.inode) != nil {
                    break lower
                }
            }
        }
        return MergedEntry(path: path, name: display, layer: top.layer, inode: inode, directories: parts)
    }

    /// Whether a layer's directory hides the lower ones (overlay.opaque xattr or an OCI `.wh..wh..opq`).
    private func isOpaque(_ part: LayerInode) throws -> Bool {
        let image = layers[part.layer]
        if try OverlayMarkers.isOpaque(part.inode, in: image) { return true }
        return try image.lookup(OverlayMarkers.ociOpaqueName, in: part.inode) != nil
    }

    private func noteUnmodelled(_ inode: Inode, layer: Int, path: String) {
        guard inode.xattrCount > 0, let found = try? OverlayMarkers.unmodelled(inode, in: layers[layer]), !found.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        for feature in found where unmodelled[feature] == nil { unmodelled[feature] = path }
    }
}
