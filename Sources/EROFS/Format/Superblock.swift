import Foundation

/// The EROFS superblock (byte 1024 of the primary device), decoded and validated.
public struct Superblock: Sendable {
    public static let offset: UInt64 = 1024
    public static let magic: UInt32 = 0xE0F5_E1E2

    public var checksum: UInt32
    public var compat: CompatFeatures
    public var incompat: IncompatFeatures
    public var blockSizeBits: UInt8
    public var extensionSlots: UInt8
    public var rootNID: UInt64
    public var inodeCount: UInt64
    public var epoch: UInt64
    public var fixedNanoseconds: UInt32
    /// Primary device size in blocks.
    public var blocks: UInt64
    public var metaBlockAddress: UInt32
    public var xattrBlockAddress: UInt32
    public var uuid: [UInt8]
    public var volumeName: String
    /// With compression configs: bitmap of algorithms; otherwise the LZ4 max distance.
    public var availableAlgorithms: UInt16
    public var extraDevices: UInt16
    public var deviceTableSlotOffset: UInt16
    public var xattrPrefixCount: UInt8
    public var xattrPrefixStart: UInt32
    public var packedNID: UInt64
    public var ishareXattrPrefixID: UInt8
    public var buildTime: UInt32
    public var metaboxNID: UInt64?

    /// Block size in bytes.
    public var blockSize: Int { 1 << Int(blockSizeBits) }
    /// Superblock size including extension slots.
    public var size: Int { 128 + 16 * Int(extensionSlots) }
    /// UUID in the 32-lowercase-hex form mkfs writes into rebuild-mode device tags.
    public var uuidHex: String { hexString(uuid) }
    /// UUID in the usual dashed form.
    public var uuidString: String {
        let h = uuidHex
        guard h.count == 32 else { return h }
        let c = Array(h)
        return [String(c[0..<8]), String(c[8..<12]), String(c[12..<16]), String(c[16..<20]), String(c[20..<32])].joined(separator: "-")
    }
    /// Algorithms present, when the image has compression configs; `[.lz4]` for old LZ4-only images.
    public var algorithms: [CompressionAlgorithmID] {
        guard incompat.contains(.compressionConfigs) else { return [.lz4] }
        return CompressionAlgorithmID.allCases.filter { availableAlgorithms & (1 << $0.rawValue) != 0 }
    }

    /// Parses the superblock from the first block-sized region at byte 1024 and validates it
    /// the way the kernel does.
    public static func parse(_ raw: [UInt8], imageSize: UInt64) throws -> Superblock {
        guard raw.count >= 128 else {
            throw EROFSError(.truncated, "image is too small for a superblock (\(imageSize) bytes)")
        }
        guard raw.le32(0) == magic else {
            throw EROFSError(.badMagic, String(format: "not an EROFS image: magic 0x%08x, expected 0x%08x", raw.le32(0), magic))
        }
        let blkszbits = raw[0x0C]
        guard (9...16).contains(blkszbits) else {
            throw EROFSError(.invalidSuperblock, "block size bits \(blkszbits) out of range 9…16")
        }
        let compat = CompatFeatures(rawValue: raw.le32(0x08))
        let incompat = IncompatFeatures(rawValue: raw.le32(0x50))
        let unknown = incompat.rawValue & ~IncompatFeatures.known.rawValue
        if unknown != 0 {
            let names = featureNames(unknown, []).joined(separator: ", ")
            throw EROFSError(.unsupportedFeature, String(format: "unsupported incompatible features 0x%x: %@", unknown, names))
        }
        let extslots = raw[0x0D]
        let sbSize = 128 + 16 * Int(extslots)
        guard sbSize <= 4096 - 1024, sbSize <= raw.count else {
            throw EROFSError(.invalidSuperblock, "superblock extension slots \(extslots) too large")
        }
        let blockSize = 1 << Int(blkszbits)
        if compat.contains(.superblockChecksum) {
            let len = blockSize > 1024 ? blockSize - 1024 : blockSize
            guard raw.count >= len else {
                throw EROFSError(.truncated, "image too small to verify the superblock checksum")
            }
            var region = Array(raw[0..<len])
            region[4] = 0; region[5] = 0; region[6] = 0; region[7] = 0
            let computed = CRC32C.update(0xFFFF_FFFF, region)
            let stored = raw.le32(0x04)
            guard computed == stored else {
                throw EROFSError(.badChecksum, String(format: "superblock checksum mismatch: stored 0x%08x, computed 0x%08x", stored, computed))
            }
        }
        guard raw[0x5A] == 0 else {
            throw EROFSError(.invalidSuperblock, "dirblkbits \(raw[0x5A]) is not supported (must be 0)")
        }
        let is48 = incompat.contains(.address48Bit)
        let rootnid8 = raw.le64(0x70)
        let rootnid2 = raw.le16(0x0E)
        var blocks = UInt64(raw.le32(0x24))
        let rootNID: UInt64
        if is48 && rootnid8 != 0 {
            rootNID = rootnid8
            blocks |= UInt64(rootnid2) << 32
        } else {
            rootNID = UInt64(rootnid2)
        }
        var metabox: UInt64?
        if incompat.contains(.metabox) {
            guard sbSize >= 144 else {
                throw EROFSError(.invalidSuperblock, "metabox feature set but the superblock has no room for metabox_nid")
            }
            let nid = raw.le64(0x80)
            guard nid & (1 << 63) == 0 else {
                throw EROFSError(.invalidSuperblock, "metabox nid has bit 63 set")
            }
            metabox = nid
        }
        let packed = raw.le64(0x60)
        guard packed & (1 << 63) == 0 else {
            throw EROFSError(.invalidSuperblock, "packed nid has bit 63 set")
        }
        let labelBytes = raw[0x40..<0x50].prefix { $0 != 0 }
        let sb = Superblock(
            checksum: raw.le32(0x04), compat: compat, incompat: incompat,
            blockSizeBits: blkszbits, extensionSlots: extslots, rootNID: rootNID,
            inodeCount: raw.le64(0x10), epoch: raw.le64(0x18), fixedNanoseconds: raw.le32(0x20),
            blocks: blocks, metaBlockAddress: raw.le32(0x28), xattrBlockAddress: raw.le32(0x2C),
            uuid: Array(raw[0x30..<0x40]), volumeName: String(decoding: labelBytes, as: UTF8.self),
            availableAlgorithms: raw.le16(0x54),
            extraDevices: incompat.contains(.deviceTable) ? raw.le16(0x56) : 0,
            deviceTableSlotOffset: raw.le16(0x58),
            xattrPrefixCount: raw[0x5B], xattrPrefixStart: raw.le32(0x5C),
            packedNID: packed, ishareXattrPrefixID: raw[0x69], buildTime: raw.le32(0x6C),
            metaboxNID: metabox)
        if compat.contains(.ishareXattrs) && sb.ishareXattrPrefixID >= sb.xattrPrefixCount {
            // The kernel disables sharing in this case; keep the image readable.
        }
        return sb
    }
}
