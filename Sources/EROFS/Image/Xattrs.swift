/// One extended attribute of an inode.
public struct ExtendedAttribute: Sendable, Equatable {
    /// Full name, e.g. `user.comment` or `trusted.erofs.fingerprint`.
    public var name: String
    public var value: [UInt8]
    /// Stored in the shared xattr area rather than inline.
    public var isShared: Bool
    /// The kernel never lists it (name index 0, or a long prefix with base index 0).
    public var isHidden: Bool
    /// Raw `e_name_index`.
    public var nameIndex: UInt8
    /// Raw name suffix bytes.
    public var suffix: [UInt8]
}

/// A long xattr name prefix (INCOMPAT_XATTR_PREFIXES).
struct LongXattrPrefix: Sendable {
    var baseIndex: UInt8
    var infix: [UInt8]
}

/// Short name prefixes by `e_name_index`.
let shortXattrPrefixes: [UInt8: String] = [
    1: "user.", 2: "system.posix_acl_access", 3: "system.posix_acl_default",
    4: "trusted.", 5: "lustre.", 6: "security.",
]

/// Reads inline and shared xattrs and the long prefix table.
struct XattrReader {
    let image: Image

    func loadLongPrefixes() throws -> [LongXattrPrefix] {
        let sb = image.superblock
        guard sb.incompat.contains(.xattrPrefixes), sb.xattrPrefixCount > 0 else { return [] }
        let plain = sb.compat.contains(.plainXattrPrefixes)
        var read: (UInt64, Int) throws -> [UInt8]
        if sb.incompat.contains(.metabox) && !plain {
            read = { try image.readMeta(.metabox, at: $0, count: $1) }
        } else if sb.packedNID != 0 && !plain, let packed = try image.packedInode() {
            read = { offset, count in
                let bytes = try image.read(packed, at: offset, count: count)
                guard bytes.count == count else { throw EROFSError(.xattrOutOfBounds, "long xattr prefix past the end of the packed inode") }
                return bytes
            }
        } else {
            read = { try image.readMeta(.primary, at: $0, count: $1) }
        }
        var position = UInt64(sb.xattrPrefixStart) * 4
        var prefixes: [LongXattrPrefix] = []
        for i in 0..<Int(sb.xattrPrefixCount) {
            let header = try read(position, 2)
            let length = Int(header.le16(0))
            guard length >= 1, length <= 256 else {
                throw EROFSError(.xattrOutOfBounds, "long xattr prefix \(i) has length \(length)", image: image.path)
            }
            let body = try read(position + 2, length)
            prefixes.append(LongXattrPrefix(baseIndex: body[0], infix: Array(body[1...])))
            position = roundUp(position + 2 + UInt64(length), 4)
        }
        return prefixes
    }

    func attributes(of inode: Inode) throws -> [ExtendedAttribute] {
        guard inode.xattrCount > 0 else { return [] }
        let area = try image.readMeta(inode.space, at: inode.location + UInt64(inode.inodeSize), count: inode.xattrAreaSize)
        let sharedCount = Int(area[4])
        guard 12 + 4 * sharedCount <= area.count else {
            throw EROFSError(.xattrOutOfBounds, "\(sharedCount) shared xattr ids do not fit in the \(area.count)-byte xattr area", image: image.path, nid: inode.nid)
        }
        var out: [ExtendedAttribute] = []
        var position = 12 + 4 * sharedCount
        while position < area.count {
            guard position + 4 <= area.count else {
                throw EROFSError(.xattrOutOfBounds, "xattr entry header at \(position) runs past the xattr area (\(area.count) bytes)", image: image.path, nid: inode.nid)
            }
            let nameLength = Int(area[position]), index = area[position + 1], valueSize = Int(area.le16(position + 2))
            let end = position + 4 + nameLength + valueSize
            guard end <= area.count else {
                throw EROFSError(.xattrOutOfBounds, "xattr entry at \(position) (name \(nameLength) + value \(valueSize) bytes) runs past the xattr area (\(area.count) bytes)", image: image.path, nid: inode.nid)
            }
            let suffix = Array(area[(position + 4)..<(position + 4 + nameLength)])
            let value = Array(area[(position + 4 + nameLength)..<end])
            // All-zero entries (index 0, no name, no value) are padding: mkfs.erofs 1.9 rebuild
            // mode leaves zeroed xattr areas, and the kernel has no handler for index 0.
            if index != 0 || nameLength != 0 || valueSize != 0 {
                out.append(try make(index: index, suffix: suffix, value: value, shared: false, nid: inode.nid))
            }
            position = (end + 3) & ~3
        }
        let sharedBase = UInt64(image.superblock.xattrBlockAddress) * UInt64(image.superblock.blockSize)
        let sharedSpace: MetaSpace = image.superblock.compat.contains(.sharedXattrsInMetabox) ? .metabox : .primary
        for k in 0..<sharedCount {
            let id = UInt64(area.le32(12 + 4 * k))
            let at = sharedBase + id * 4
            let header = try readShared(sharedSpace, at: at, count: 4, nid: inode.nid, id: id)
            let nameLength = Int(header[0]), index = header[1], valueSize = Int(header.le16(2))
            let body = try readShared(sharedSpace, at: at + 4, count: nameLength + valueSize, nid: inode.nid, id: id)
            out.append(try make(index: index, suffix: Array(body[0..<nameLength]), value: Array(body[nameLength...]), shared: true, nid: inode.nid))
        }
        return out
    }

    private func readShared(_ space: MetaSpace, at offset: UInt64, count: Int, nid: UInt64, id: UInt64) throws -> [UInt8] {
        do {
            return try image.readMeta(space, at: offset, count: count)
        } catch let error as EROFSError where [.truncated, .blockOutOfRange, .nidOutOfRange].contains(error.kind) {
            throw EROFSError(.xattrOutOfBounds, "shared xattr id \(id) at \(offset) is past the end of the metadata", image: image.path, nid: nid)
        }
    }

    private func make(index: UInt8, suffix: [UInt8], value: [UInt8], shared: Bool, nid: UInt64) throws -> ExtendedAttribute {
        var hidden = index == 0
        var name: String
        if index & 0x80 != 0 {
            let prefixes = try image.longPrefixes()
            let number = Int(index & 0x7F)
            guard number < prefixes.count else {
                throw EROFSError(.xattrOutOfBounds, "xattr uses long prefix \(number) but the image has \(prefixes.count)", image: image.path, nid: nid)
            }
            let prefix = prefixes[number]
            hidden = prefix.baseIndex == 0
            name = (shortXattrPrefixes[prefix.baseIndex] ?? "") + String(decoding: prefix.infix, as: UTF8.self)
        } else {
            name = shortXattrPrefixes[index] ?? ""
            if index != 0 && shortXattrPrefixes[index] == nil { hidden = true }
        }
        name += String(decoding: suffix, as: UTF8.self)
        return ExtendedAttribute(name: name, value: value, isShared: shared, isHidden: hidden, nameIndex: index, suffix: suffix)
    }
}

extension Image {
    /// All xattrs of an inode: inline ones first, then shared ones (hidden ones included and marked).
    public func xattrs(of inode: Inode) throws -> [ExtendedAttribute] {
        try XattrReader(image: self).attributes(of: inode)
    }

    /// The content fingerprint written by `mkfs.erofs --xattr-inode-digest` (the raw xattr value), if any.
    public func fingerprint(of inode: Inode) throws -> [UInt8]? {
        guard inode.type == .regular, inode.xattrCount > 0 else { return nil }
        let attributes = try xattrs(of: inode)
        if superblock.compat.contains(.ishareXattrs) {
            let wanted = 0x80 | superblock.ishareXattrPrefixID
            if let match = attributes.first(where: { $0.nameIndex == wanted && $0.suffix.isEmpty }) {
                return match.value
            }
        }
        return attributes.first { $0.name == "erofs.fingerprint.v1" || $0.name == "trusted.erofs.fingerprint" }?.value
    }
}

/// Renders a fingerprint value: `sha256:` + 32 raw bytes as `sha256:<hex>`, anything else as hex.
public func formatFingerprint(_ value: [UInt8]) -> String {
    let prefix = Array("sha256:".utf8)
    if value.count == 39, Array(value.prefix(7)) == prefix {
        return "sha256:" + hexString(value.dropFirst(7))
    }
    return "hex:" + hexString(value)
}
