import Foundation
import EROFS

/// `ls -l` style mode text, e.g. `drwxr-xr-x` or `-rwsr-xr-x`.
public func modeString(_ inode: Inode) -> String {
    var s = String(inode.type.letter)
    let m = inode.mode
    let bits: [(UInt16, Character)] = [(0o400, "r"), (0o200, "w"), (0o100, "x"), (0o040, "r"), (0o020, "w"), (0o010, "x"), (0o004, "r"), (0o002, "w"), (0o001, "x")]
    for (i, (bit, ch)) in bits.enumerated() {
        var c: Character = m & bit != 0 ? ch : "-"
        if i == 2 && m & 0o4000 != 0 { c = m & bit != 0 ? "s" : "S" }
        if i == 5 && m & 0o2000 != 0 { c = m & bit != 0 ? "s" : "S" }
        if i == 8 && m & 0o1000 != 0 { c = m & bit != 0 ? "t" : "T" }
        s.append(c)
    }
    return s
}

/// Human-readable byte count (B, KiB, MiB, GiB) as ncdu shows it.
public func humanBytes(_ bytes: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}

/// `value` in `radix` (lowercase) with leading zeros to at least `width` digits, as
/// `String(format: "%0*u")` / `"%0*x"` write it, without Foundation's formatter (locale, varargs
/// and CoreFoundation's format parser: a noticeable part of a short command).
public func zeroPadded(_ value: UInt64, _ width: Int, radix: Int = 10) -> String {
    let digits = String(value, radix: radix)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Permission bits as 4-digit octal text ("0644"), without Foundation's formatter.
public func octalMode(_ permissions: UInt16) -> String {
    let digits = String(permissions & 0o7777, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// The last component of a slash-separated path ("/" for the root).
public func lastPathComponent(_ path: String) -> String {
    var path = path
    return path.withUTF8 { bytes in
        var i = bytes.count
        while i > 0 && bytes[i - 1] != UInt8(ascii: "/") { i -= 1 }
        if i == 0 { return String(decoding: bytes, as: UTF8.self) }
        if i == bytes.count { return "/" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[i...]), as: UTF8.self)
    }
}
