/// How an inode's data is laid out on disk (`i_format` bits 1–3).
public enum DataLayout: UInt8, Sendable, CustomStringConvertible {
    case flatPlain = 0, compressedFull = 1, flatInline = 2, compressedCompact = 3, chunkBased = 4

    public var isCompressed: Bool { self == .compressedFull || self == .compressedCompact }
    public var description: String {
        switch self {
        case .flatPlain: return "flat-plain"
        case .compressedFull: return "compressed-full"
        case .flatInline: return "flat-inline"
        case .compressedCompact: return "compressed-compact"
        case .chunkBased: return "chunk-based"
        }
    }
}

/// File types as POSIX mode bits describe them.
public enum FileType: String, Sendable, CaseIterable {
    case regular = "file", directory = "dir", symlink, characterDevice = "chardev", blockDevice = "blockdev", fifo, socket

    init?(mode: UInt16) {
        switch mode & 0o170000 {
        case 0o100000: self = .regular
        case 0o040000: self = .directory
        case 0o120000: self = .symlink
        case 0o020000: self = .characterDevice
        case 0o060000: self = .blockDevice
        case 0o010000: self = .fifo
        case 0o140000: self = .socket
        default: return nil
        }
    }

    /// The `ls -l` type letter.
    public var letter: Character {
        switch self {
        case .regular: return "-"
        case .directory: return "d"
        case .symlink: return "l"
        case .characterDevice: return "c"
        case .blockDevice: return "b"
        case .fifo: return "p"
        case .socket: return "s"
        }
    }
}

/// Where an inode's metadata lives: on the primary device, or inside the metabox inode's data.
public enum MetaSpace: Sendable, Equatable {
    case primary
    case metabox
}

/// A decoded inode (compact or extended form).
public struct Inode: Sendable {
    public static let metaboxBit: UInt64 = 1 << 63

    public var nid: UInt64
    public var isExtended: Bool
    public var layout: DataLayout
    public var mode: UInt16
    public var type: FileType
    public var xattrCount: UInt16
    public var size: UInt64
    public var nlink: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var mtime: UInt64
    public var mtimeNanoseconds: UInt32
    public var ino32: UInt32
    /// The raw `i_u` word (start block, block count, chunk info or rdev).
    public var rawU: UInt32
    /// The raw `i_nb` half-word (nlink, or address bits 32–47).
    public var rawNB: UInt16
    /// For directories: the "." entry is not stored (DOT_OMITTED).
    public var dotOmitted: Bool
    /// For compact non-directories: nlink is 1 and `i_nb` holds address bits 32–47.
    public var nlinkOne: Bool
    /// Where the inode itself is, and at which byte offset there.
    public var space: MetaSpace
    public var location: UInt64

    /// 32 or 64.
    public var inodeSize: Int { isExtended ? 64 : 32 }
    /// Bytes of the inline xattr area following the inode.
    public var xattrAreaSize: Int { xattrCount == 0 ? 0 : 12 + 4 * (Int(xattrCount) - 1) }
    /// Byte offset (in `space`) just after the inode and its xattrs: where inline data, map headers or chunk indexes start.
    public var payloadOffset: UInt64 { location + UInt64(inodeSize + xattrAreaSize) }
    /// Permission bits including setuid/setgid/sticky.
    public var permissions: UInt16 { mode & 0o7777 }

    /// Device number for device nodes, decoded from the Linux "new" encoding.
    public var rdev: (major: UInt32, minor: UInt32) {
        let v = rawU
        return ((v >> 8) & 0xFFF, (v & 0xFF) | ((v >> 12) & 0xFFF00))
    }

    /// Chunk format word of chunk-based inodes.
    public var chunkFormat: UInt16 { UInt16(truncatingIfNeeded: rawU) }

    /// Parses an inode from its 32 (compact) or 64 (extended) bytes.
    static func parse(nid: UInt64, space: MetaSpace, location: UInt64, bytes raw: [UInt8], superblock sb: Superblock) throws -> Inode {
        try raw.withUnsafeBytes { try parse(nid: nid, space: space, location: location, bytes: $0, superblock: sb) }
    }

    /// Parses an inode from raw bytes (at least 32; 64 for an extended inode).
    static func parse(nid: UInt64, space: MetaSpace, location: UInt64, bytes raw: UnsafeRawBufferPointer, superblock sb: Superblock) throws -> Inode {
        guard raw.count >= 32 else { throw EROFSError(.truncated, "inode cut short", nid: nid) }
        let format = raw.le16(0)
        let extended = format & 1 != 0
        guard let layout = DataLayout(rawValue: UInt8((format >> 1) & 7)) else {
            throw EROFSError(.inodeInvalid, "unknown data layout \((format >> 1) & 7)", nid: nid)
        }
        guard format & ~0x1F == 0 else {
            throw EROFSError(.inodeInvalid, String(format: "reserved i_format bits set (0x%04x)", format), nid: nid)
        }
        let xattrCount = raw.le16(2)
        guard xattrCount != 1 else {
            throw EROFSError(.inodeInvalid, "i_xattr_icount of 1 is invalid", nid: nid)
        }
        let mode = raw.le16(4)
        guard let type = FileType(mode: mode) else {
            throw EROFSError(.inodeInvalid, String(format: "unknown file type in mode 0%o", mode), nid: nid)
        }
        let nb = raw.le16(6)
        let flag4 = format & 0x10 != 0
        var inode = Inode(nid: nid, isExtended: extended, layout: layout, mode: mode, type: type, xattrCount: xattrCount,
                          size: 0, nlink: 1, uid: 0, gid: 0, mtime: 0, mtimeNanoseconds: 0, ino32: 0, rawU: 0, rawNB: nb,
                          dotOmitted: type == .directory && flag4, nlinkOne: type != .directory && flag4 && !extended,
                          space: space, location: location)
        if extended {
            guard raw.count >= 64 else { throw EROFSError(.truncated, "extended inode cut short", nid: nid) }
            inode.size = raw.le64(8)
            inode.rawU = raw.le32(16)
            inode.ino32 = raw.le32(20)
            inode.uid = raw.le32(24)
            inode.gid = raw.le32(28)
            inode.mtime = raw.le64(32)
            inode.mtimeNanoseconds = raw.le32(40)
            inode.nlink = raw.le32(44)
        } else {
            inode.size = UInt64(raw.le32(8))
            inode.mtime = sb.epoch &+ UInt64(raw.le32(12))
            inode.mtimeNanoseconds = sb.fixedNanoseconds
            inode.rawU = raw.le32(16)
            inode.ino32 = raw.le32(20)
            inode.uid = UInt32(raw.le16(24))
            inode.gid = UInt32(raw.le16(26))
            inode.nlink = inode.nlinkOne ? 1 : UInt32(nb)
        }
        guard inode.size <= UInt64(Int64.max) else {
            throw EROFSError(.inodeInvalid, "size \(inode.size) is impossible", nid: nid)
        }
        if layout == .chunkBased {
            let fmt = inode.chunkFormat
            guard fmt & ~0x7F == 0 else {
                throw EROFSError(.inodeInvalid, String(format: "unknown chunk format bits 0x%04x", fmt), nid: nid)
            }
            guard Int(fmt & 0x1F) + Int(sb.blockSizeBits) <= 48 else {
                throw EROFSError(.inodeInvalid, "chunk size bits \(fmt & 0x1F) too large", nid: nid)
            }
        }
        if type == .directory && layout == .chunkBased {
            // Allowed by the format in principle; read through the generic path.
        }
        return inode
    }

    /// Whether address bits 32–47 may come from `i_nb`.
    func allows48BitAddress(_ sb: Superblock) -> Bool {
        sb.incompat.contains(.address48Bit) && (isExtended || nlinkOne)
    }

    /// Start block of flat layouts, and the all-ones "no data" value for this inode's mask.
    func flatStartBlock(_ sb: Superblock) -> (block: UInt64, isNull: Bool) {
        if allows48BitAddress(sb) {
            let block = UInt64(rawU) | UInt64(rawNB) << 32
            return (block, block == (1 << 48) - 1 || rawU == 0xFFFF_FFFF && rawNB == 0)
        }
        return (UInt64(rawU), rawU == 0xFFFF_FFFF)
    }
}
