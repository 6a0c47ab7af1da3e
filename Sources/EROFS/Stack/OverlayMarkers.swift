/// What an entry of one layer means in an overlayfs stack.
///
/// Both encodings are understood: overlayfs's own (a character device 0/0 or an
/// `overlay.whiteout` xattr deletes the name; `overlay.opaque` = `y` on a directory hides the
/// lower directories), which `mkfs.erofs --tar=f --aufs` writes, and the OCI image spec's
/// (`.wh.NAME` deletes NAME, `.wh..wh..opq` makes its directory opaque), which layers
/// converted without `--aufs` keep as plain files.
enum OverlayRole: Equatable {
    /// An ordinary entry.
    case normal
    /// Deletes the same name in lower layers (and is itself not shown).
    case whiteout
    /// An OCI `.wh.NAME` file: deletes NAME in lower layers.
    case ociWhiteout(name: [UInt8])
    /// An OCI `.wh..wh..opq` file: its directory hides the lower directories.
    case ociOpaque
}

/// Overlayfs features erofs-top does not model; a stack that uses them says so by name.
public enum UnmodelledOverlayFeature: String, Sendable, CaseIterable {
    /// `overlay.redirect`: a renamed directory pointing at its lower path.
    case redirectDir = "redirect_dir"
    /// `overlay.metacopy`: metadata-only copy-up, the data stays in a lower layer.
    case metacopy
}

enum OverlayMarkers {
    static let ociPrefix = Array(".wh.".utf8)
    static let ociOpaqueName = Array(".wh..wh..opq".utf8)
    static let xattrNamespaces = ["trusted.overlay.", "user.overlay."]

    /// The role of `name` (an entry of a directory of `image` whose inode is `inode`).
    static func role(name: [UInt8], inode: Inode, image: Image) throws -> OverlayRole {
        if name == ociOpaqueName { return .ociOpaque }
        if name.count > ociPrefix.count, Array(name.prefix(ociPrefix.count)) == ociPrefix {
            return .ociWhiteout(name: Array(name.dropFirst(ociPrefix.count)))
        }
        if inode.type == .characterDevice, inode.rdev.major == 0, inode.rdev.minor == 0 { return .whiteout }
        if inode.xattrCount > 0, try overlayXattr("whiteout", of: inode, in: image) != nil { return .whiteout }
        return .normal
    }

    /// Whether a directory hides the lower ones through `overlay.opaque` = `y`.
    static func isOpaque(_ inode: Inode, in image: Image) throws -> Bool {
        guard inode.type == .directory, inode.xattrCount > 0 else { return false }
        return try overlayXattr("opaque", of: inode, in: image) == Array("y".utf8)
    }

    /// Unmodelled overlayfs xattrs on `inode`.
    static func unmodelled(_ inode: Inode, in image: Image) throws -> [UnmodelledOverlayFeature] {
        guard inode.xattrCount > 0 else { return [] }
        var out: [UnmodelledOverlayFeature] = []
        if try overlayXattr("redirect", of: inode, in: image) != nil { out.append(.redirectDir) }
        if try overlayXattr("metacopy", of: inode, in: image) != nil { out.append(.metacopy) }
        return out
    }

    /// The value of `trusted.overlay.SUFFIX` or `user.overlay.SUFFIX`, if set.
    static func overlayXattr(_ suffix: String, of inode: Inode, in image: Image) throws -> [UInt8]? {
        let names = Set(xattrNamespaces.map { $0 + suffix })
        return try image.xattrs(of: inode).first { names.contains($0.name) }?.value
    }
}
