/// One slot of the device table: an extra device (blob) the image refers to.
public struct DeviceSlot: Sendable, Equatable {
    /// Device id as chunk indexes use it (1 for the first extra device).
    public var id: Int
    /// The raw 64-byte tag, NUL-trimmed.
    public var tagBytes: [UInt8]
    /// Device size in blocks.
    public var blocks: UInt64
    /// First block of this device in the unified (flat) address space; 0 = not mapped.
    public var unifiedAddress: UInt64

    /// The tag as text: a source image UUID (32 hex), a SHA-256 digest (64 hex) or empty.
    public var tag: String { String(decoding: tagBytes, as: UTF8.self) }

    /// What the tag names, following what erofs-utils and Nydus write.
    public enum TagKind: String, Sendable { case empty, uuid, digest, other }

    public var tagKind: TagKind {
        let t = tag
        if t.isEmpty { return .empty }
        let isHex = t.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
        if isHex && t.utf8.count == 32 { return .uuid }
        if isHex && t.utf8.count == 64 { return .digest }
        return .other
    }

    static func parse(id: Int, bytes raw: [UInt8], is48Bit: Bool) -> DeviceSlot {
        var tag = Array(raw[0..<64])
        if let nul = tag.firstIndex(of: 0) { tag.removeSubrange(nul...) }
        var blocks = UInt64(raw.le32(64))
        var uniaddr = UInt64(raw.le32(68))
        if is48Bit {
            blocks |= UInt64(raw.le16(72)) << 32
            uniaddr |= UInt64(raw.le16(74)) << 32
        }
        return DeviceSlot(id: id, tagBytes: tag, blocks: blocks, unifiedAddress: uniaddr)
    }
}
