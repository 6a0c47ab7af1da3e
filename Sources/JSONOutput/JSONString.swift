/// JSON string literals, written one way for every JSON the project emits (command output,
/// listings, export tables, native traces): `"` and `\` escaped, `\n` `\r` `\t` by name, other
/// control characters and DEL as `\u00XX`, everything else as UTF-8.
public enum JSONString {
    /// `s` as a quoted JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = ""
        append(s, to: &out)
        return out
    }

    /// Appends `s` as a quoted JSON string literal to text.
    public static func append(_ s: String, to out: inout String) {
        if !needsEscaping(s.utf8) {
            out += "\""
            out += s
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 8)
        appendEscaped(s.utf8, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a quoted JSON string literal to a byte buffer.
    @inlinable
    public static func append(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.utf8
        // Fast path: native strings scanned and copied as one contiguous run of bytes.
        if let done = utf8.withContiguousStorageIfAvailable({ append(utf8Bytes: UnsafeRawBufferPointer($0), to: &out) }) {
            if done { return }
        } else if !needsEscaping(utf8) {
            out.append(0x22)
            out.append(contentsOf: utf8)
            out.append(0x22)
            return
        }
        appendEscaped(utf8, to: &out)
    }

    /// Appends UTF-8 `bytes` as a quoted JSON string literal when none needs escaping (names
    /// and paths almost always) and returns true; returns false, appending nothing, otherwise.
    @inlinable
    public static func append(utf8Bytes bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        if needsEscaping(bytes) { return false }
        out.append(0x22)
        out.append(contentsOf: bytes)
        out.append(0x22)
        return true
    }

    /// Whether any byte must be escaped, eight bytes at a time: a word has a byte below 0x20
    /// when `(w - 0x20…) & ~w & 0x80…` is non-zero, and a byte equal to `c` when `w ^ c…` has a
    /// zero byte (both tests are exact for any word).
    @inlinable
    static func needsEscaping(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ w: UInt64) -> Bool { (w &- ones) & ~w & highs != 0 }
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if (w &- ones &* 0x20) & ~w & highs != 0 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) || hasZero(w ^ (ones &* 0x7F)) {
                return true
            }
            i += 8
        }
        while i < n {
            let b = bytes[i]
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { return true }
            i += 1
        }
        return false
    }

    /// Whether any byte must be escaped.
    @inlinable
    static func needsEscaping(_ utf8: String.UTF8View) -> Bool {
        utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }
    }

    /// Appends UTF-8 `bytes` as a quoted JSON string literal, escaping what needs it.
    public static func append(escaping bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        if !append(utf8Bytes: bytes, to: &out) { appendEscaped(bytes, to: &out) }
    }

    @usableFromInline
    static func appendEscaped<Bytes: Sequence>(_ utf8: Bytes, to out: inout [UInt8]) where Bytes.Element == UInt8 {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(0x22)
        for b in utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20, 0x7F: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
