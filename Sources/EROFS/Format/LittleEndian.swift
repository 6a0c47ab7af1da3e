/// Bounds-checked little-endian field access over bytes read from disk.
extension Array where Element == UInt8 {
    @inline(__always) func le16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }
    @inline(__always) func le32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
    @inline(__always) func le64(_ offset: Int) -> UInt64 {
        UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32
    }
}

extension ArraySlice where Element == UInt8 {
    @inline(__always) func le16(_ offset: Int) -> UInt16 {
        let b = startIndex + offset
        return UInt16(self[b]) | UInt16(self[b + 1]) << 8
    }
    @inline(__always) func le32(_ offset: Int) -> UInt32 {
        let b = startIndex + offset
        return UInt32(self[b]) | UInt32(self[b + 1]) << 8 | UInt32(self[b + 2]) << 16 | UInt32(self[b + 3]) << 24
    }
    @inline(__always) func le64(_ offset: Int) -> UInt64 {
        UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32
    }
}

@inline(__always) func roundUp(_ value: UInt64, _ unit: UInt64) -> UInt64 {
    (value + unit - 1) / unit * unit
}

/// Lowercase hex of raw bytes.
public func hexString<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Little-endian field access over raw bytes; the caller checks `offset + size <= count` first
/// (the loads themselves are not bounds-checked in release builds).
extension UnsafeRawBufferPointer {
    @inline(__always) func le16(_ offset: Int) -> UInt16 {
        UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inline(__always) func le32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inline(__always) func le64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
