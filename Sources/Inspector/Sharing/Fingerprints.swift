import Crypto
import EROFS

/// Where the `inode` policy's content fingerprints come from.
public enum FingerprintSource: String, Sendable, CaseIterable {
    /// The `--xattr-inode-digest` xattr stored in the image (what the kernel uses).
    case stored
    /// SHA-256 of the contents, formatted as mkfs.erofs writes it: answers "what if these images
    /// were rebuilt with fingerprints".
    case compute
}

/// Reads or computes the fingerprint value the kernel's `inode_share` compares.
public enum Fingerprints {
    /// Largest value the kernel accepts (1…block size bytes); longer ones are not shared.
    static func isUsable(_ value: [UInt8], blockSize: Int) -> Bool {
        !value.isEmpty && value.count <= blockSize && value.contains { $0 != 0 }
    }

    /// The value mkfs.erofs 1.9 `--xattr-inode-digest` writes: ASCII `sha256:` + 32 raw bytes.
    public static func compute(_ image: Image, _ inode: Inode) throws -> [UInt8] {
        try compute(image, inode) { _ in }
    }

    /// ``compute(_:_:)``, also handing each piece of the bytes read, in order, to `alsoRead`.
    static func compute(_ image: Image, _ inode: Inode, alsoRead: ([UInt8]) -> Void) throws -> [UInt8] {
        var hasher = SHA256()
        let step = 1 << 20
        var offset: UInt64 = 0
        while offset < inode.size {
            let count = Int(min(UInt64(step), inode.size - offset))
            let bytes = try image.read(inode, at: offset, count: count)
            hasher.update(data: bytes)
            alsoRead(bytes)
            offset += UInt64(count)
        }
        return Array("sha256:".utf8) + Array(hasher.finalize())
    }

    /// The fingerprint of a regular, non-empty file under `source`; nil when the file has none
    /// (or its stored value is empty, zeroed or longer than a block, which the kernel ignores).
    public static func fingerprint(_ image: Image, _ inode: Inode, source: FingerprintSource) throws -> [UInt8]? {
        guard inode.type == .regular, inode.size > 0 else { return nil }
        switch source {
        case .compute:
            return try compute(image, inode)
        case .stored:
            guard let value = try image.fingerprint(of: inode), isUsable(value, blockSize: image.blockSize) else { return nil }
            return value
        }
    }
}
