/// Recomputes the superblock CRC-32C of an image held in memory, so that byte edits of the
/// superblock reach the parser instead of stopping at `.badChecksum` (fuzzing, corruption sweeps).
///
/// Same rule as the reader and the kernel: with COMPAT_SB_CHKSUM set, CRC-32C (seed ~0, no final
/// xor) over the superblock block from offset 1024 (`blockSize - 1024` bytes for blocks larger
/// than 1 KiB, else one block), with the checksum field zeroed.
public enum SuperblockChecksum {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// Rewrites the stored checksum if the image claims one and is long enough; returns whether it did.
    @discardableResult
    public static func fix(_ image: UnsafeMutableRawBufferPointer) -> Bool {
        guard image.count >= 1024 + 128, image[1024 + 8] & 1 != 0 else { return false }
        let bits = Int(image[1024 + 0x0C])
        guard (9...16).contains(bits) else { return false }
        let blockSize = 1 << bits
        let length = blockSize > 1024 ? blockSize - 1024 : blockSize
        guard image.count >= 1024 + length else { return false }
        var crc: UInt32 = 0xFFFF_FFFF
        for i in 0..<length {
            let byte = (4..<8).contains(i) ? 0 : image[1024 + i]
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        for k in 0..<4 { image[1024 + 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * k)) }
        return true
    }

    /// `fix` for an array.
    @discardableResult
    public static func fix(_ image: inout [UInt8]) -> Bool {
        image.withUnsafeMutableBytes { fix($0) }
    }
}
