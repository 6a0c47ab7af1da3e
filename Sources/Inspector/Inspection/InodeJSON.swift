import JSONOutput
import EROFS
import Foundation

/// JSON and text renderings of inodes, shared by `ls`, `stat` and the UI.
public enum InodeJSON {
    /// The fields `ls -l --json` prints for one entry.
    public static func listing(path: String, name: String, inode: Inode, image: Image) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("path", .string(path)), ("name", .string(name)), ("nid", .uint(inode.nid)),
            ("type", .string(inode.type.rawValue)), ("mode", .string(octalMode(inode.permissions))),
            ("nlink", .uint(UInt64(inode.nlink))), ("uid", .uint(UInt64(inode.uid))), ("gid", .uint(UInt64(inode.gid))),
            ("size", .uint(inode.size)), ("mtime", .uint(inode.mtime)),
        ]
        if inode.type == .symlink, let target = try? image.symlinkTarget(inode) { fields.append(("target", .string(target))) }
        if inode.type == .characterDevice || inode.type == .blockDevice {
            fields.append(("rdev", .string("\(inode.rdev.major):\(inode.rdev.minor)")))
        }
        return .object(fields)
    }

    /// `ls -l` style line.
    /// `layer`: for a stack, the layer the entry comes from (a column before the name).
    public static func listingLine(name: String, inode: Inode, image: Image, layer: String? = nil) -> String {
        var line: [UInt8] = []
        ListingWriter.appendLine(name: name, inode: inode, image: image, layer: layer, to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Everything `stat --json` prints.
    public static func details(_ d: FileDetails, image: Image) -> JSONValue {
        let inode = d.inode
        var fields: [(String, JSONValue)] = [
            ("path", .string(d.path)), ("nid", .uint(inode.nid)), ("type", .string(inode.type.rawValue)),
            ("mode", .string(octalMode(inode.permissions))), ("mode_text", .string(modeString(inode))),
            ("uid", .uint(UInt64(inode.uid))), ("gid", .uint(UInt64(inode.gid))), ("size", .uint(inode.size)),
            ("nlink", .uint(UInt64(inode.nlink))), ("mtime", .uint(inode.mtime)), ("mtime_nsec", .uint(UInt64(inode.mtimeNanoseconds))),
            ("inode_format", .string(inode.isExtended ? "extended" : "compact")), ("layout", .string(inode.layout.description)),
        ]
        if inode.layout == .chunkBased {
            fields.append(("chunk_size", .uint(1 << image.chunkBits(of: inode))))
            fields.append(("chunk_format", .string(inode.chunkFormat & 0x20 != 0 ? (inode.chunkFormat & 0x40 != 0 ? "index48" : "index") : "blockmap")))
        }
        if let c = d.compression {
            fields.append(("compression", .object([
                ("index_format", .string(c.indexFormat.name)), ("lcluster_size", .uint(c.lclusterSize)),
                ("algorithms", .array(c.algorithms.map { .string($0) })), ("flags", .array(c.flags.map { .string($0) })),
                ("inline_data_size", .uint(UInt64(c.inlineDataSize))), ("fragment_offset", c.fragmentOffset.map { .uint($0) } ?? .null),
            ])))
        }
        if let target = d.symlinkTarget { fields.append(("target", .string(target))) }
        if inode.type == .characterDevice || inode.type == .blockDevice {
            fields.append(("rdev", .string("\(inode.rdev.major):\(inode.rdev.minor)")))
        }
        fields.append(("fingerprint", d.fingerprint.map { .string($0) } ?? .null))
        fields.append(("xattrs", .array(d.xattrs.map { x in
            .object([("name", .string(x.name)), ("value", .string(xattrValueText(x))), ("shared", .bool(x.isShared)), ("hidden", .bool(x.isHidden))])
        })))
        fields.append(("extents", .array(d.extents.map(extentJSON))))
        return .object(fields)
    }

    static func extentJSON(_ m: FileDetails.MappedExtent) -> JSONValue {
        var fields: [(String, JSONValue)] = [("logical_offset", .uint(m.extent.logicalOffset)), ("length", .uint(m.extent.length))]
        if let chunk = m.extent.chunk { fields.append(("chunk", .uint(chunk))) }
        switch m.extent.location {
        case .hole:
            fields.append(("kind", .string("hole")))
        case .inline(let offset):
            fields += [("kind", .string("inline")), ("physical_offset", .uint(offset))]
        case .device(let id, let offset):
            fields += [("kind", .string("device")), ("device", .int(Int64(id))), ("tag", .string(m.tag)), ("physical_offset", .uint(offset))]
            if let block = m.block { fields.append(("block", .uint(block))) }
        case .compressed(let c):
            fields += [("kind", .string("compressed")), ("device", .int(Int64(c.device))), ("tag", .string(m.tag)), ("physical_offset", .uint(c.physicalOffset)),
                       ("physical_length", .uint(c.physicalLength)), ("algorithm", .string(c.algorithm.name)), ("pcluster", .string(c.kind.name))]
        }
        return .object(fields)
    }

    /// An xattr value as text when printable, else `0x` + hex; fingerprints as `sha256:<hex>`.
    public static func xattrValueText(_ x: ExtendedAttribute) -> String {
        if x.value.count == 39 && x.value.starts(with: Array("sha256:".utf8)) { return formatFingerprint(x.value) }
        if !x.value.isEmpty, x.value.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: x.value, as: UTF8.self) }
        return "0x" + hexString(x.value)
    }

    /// Plain-text `stat`.
    public static func detailsText(_ d: FileDetails, image: Image) -> String {
        let i = d.inode
        var out = "  Path: \(d.path)\(d.symlinkTarget.map { " -> \($0)" } ?? "")\n"
        out += "   Nid: \(i.nid)   Type: \(i.type.rawValue)   Inode: \(i.isExtended ? "extended" : "compact")   Layout: \(i.layout)\n"
        out += "  Size: \(i.size)   Links: \(i.nlink)   Mode: \(octalMode(i.permissions)) (\(modeString(i)))   Uid: \(i.uid)   Gid: \(i.gid)\n"
        if i.type == .characterDevice || i.type == .blockDevice { out += "Device: \(i.rdev.major):\(i.rdev.minor)\n" }
        out += " Mtime: \(i.mtime).\(zeroPadded(UInt64(i.mtimeNanoseconds), 9))\n"
        if i.layout == .chunkBased { out += " Chunk: \(1 << image.chunkBits(of: i)) bytes, \(i.chunkFormat & 0x20 != 0 ? "chunk indexes" : "block map")\n" }
        if let c = d.compression {
            var parts = c.indexFormat == .none ? [] : ["\(c.indexFormat.name) indexes", "lcluster \(c.lclusterSize)"]
            if !c.algorithms.isEmpty { parts.append("HEAD1 \(c.algorithms[0])" + (c.algorithms.count > 1 ? ", HEAD2 \(c.algorithms[1])" : "")) }
            parts += c.flags
            if c.inlineDataSize > 0 { parts.append("inline pcluster \(c.inlineDataSize) bytes") }
            if let f = c.fragmentOffset { parts.append("fragment at packed offset \(f)") }
            out += "Compressed: \(parts.joined(separator: ", "))\n"
        }
        if let fp = d.fingerprint { out += "Fingerprint: \(fp)\n" }
        if !d.xattrs.isEmpty {
            out += "Xattrs:\n"
            for x in d.xattrs { out += "  \(x.name)\(x.isHidden ? " (hidden)" : "")\(x.isShared ? " (shared)" : "") = \(xattrValueText(x))\n" }
        }
        if !d.extents.isEmpty {
            out += "Mapping:\n"
            for m in d.extents {
                let range = "\(m.extent.logicalOffset)..<\(m.extent.logicalEnd)"
                let chunk = m.extent.chunk.map { "chunk \($0) " } ?? ""
                switch m.extent.location {
                case .hole: out += "  \(chunk)\(range) hole\n"
                case .inline(let o): out += "  \(range) inline at \(o)\n"
                case .device(let id, let o):
                    let tag = m.tag.isEmpty ? "" : " tag \(m.tag)"
                    out += "  \(chunk)\(range) -> device \(id)\(tag) \(m.block.map { "block \($0)" } ?? "byte \(o)")\n"
                case .compressed(let c):
                    out += "  \(range) -> device \(c.device) byte \(c.physicalOffset) +\(c.physicalLength) \(c.algorithm.name) \(c.kind.name)\n"
                }
            }
        }
        return out
    }
}
