import JSONOutput
import EROFS
import Foundation

/// `ls -l` lines and `ls --json` entries written straight into a byte buffer: the same text as
/// `InodeJSON.listingLine` and `InodeJSON.listing(...).serialized()`, without building a
/// `JSONValue`, a `String` per field or a date formatter per line.
public enum ListingWriter {
    /// Appends the `ls -l` line of one entry (without the newline).
    /// `layer`: for a stack, the layer the entry comes from (a column before the name).
    public static func appendLine(name: String, inode: Inode, image: Image, layer: String? = nil, to out: inout [UInt8]) {
        var dates = DateCache()
        appendLine(name: name, inode: inode, image: image, layer: layer, dates: &dates, to: &out)
    }

    /// The last date written, kept by a caller that writes many lines: entries of one tree
    /// mostly share their minute, and copying its 16 bytes is cheaper than the calendar.
    public struct DateCache {
        var minute = UInt64.max
        var text: (UInt64, UInt64) = (0, 0)
        public init() {}
    }

    /// `appendLine` reusing the date text of the previous line when the minute is the same.
    public static func appendLine(name: String, inode: Inode, image: Image, layer: String? = nil, dates: inout DateCache, to out: inout [UInt8]) {
        var name = name
        name.withUTF8 { appendLine(name: UnsafeRawBufferPointer($0), inode: inode, image: image, layer: layer, dates: &dates, to: &out) }
    }

    /// `appendLine` for a name given as UTF-8 bytes.
    public static func appendLine(name: UnsafeRawBufferPointer, inode: Inode, image: Image, layer: String? = nil, dates: inout DateCache, to out: inout [UInt8]) {
        // The columns before the name (at most 84 bytes) are written to the stack, then appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { scratch in
            var w = RawWriter(scratch.baseAddress!)
            w.mode(inode)
            w.byte(0x20)
            w.padded(UInt64(inode.nlink), width: 3)
            w.byte(0x20)
            w.padded(UInt64(inode.uid), width: 6)
            w.byte(0x20)
            w.padded(UInt64(inode.gid), width: 6)
            w.byte(0x20)
            if inode.type == .characterDevice || inode.type == .blockDevice {
                let rdev = inode.rdev
                let length = digitCount(UInt64(rdev.major)) + 2 + digitCount(UInt64(rdev.minor))
                var pad = 10 - length
                while pad > 0 { w.byte(0x20); pad -= 1 }
                w.decimal(UInt64(rdev.major))
                w.byte(0x2C)
                w.byte(0x20)
                w.decimal(UInt64(rdev.minor))
            } else {
                w.padded(inode.size, width: 10)
            }
            w.byte(0x20)
            // The same minute as the line before: its date text goes with the columns, one
            // append fewer per line (3-10 % of `ls -R -l` over 100 000 entries).
            if inode.mtime / 60 == dates.minute {
                withUnsafeBytes(of: &dates.text) { w.bytes($0) }
                w.byte(0x20)
                out.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: w.count))
            } else {
                out.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: w.count))
                appendDate(inode.mtime, cache: &dates, to: &out)
                out.append(0x20)
            }
        }
        if let layer {
            out.append(contentsOf: layer.utf8)
            out.append(0x20)
        }
        out.append(contentsOf: name)
        if inode.type == .symlink, let target = try? image.symlinkTarget(inode) {
            out += [0x20, 0x2D, 0x3E, 0x20]
            out.append(contentsOf: target.utf8)
        }
    }

    /// Appends the compact JSON object `ls --json` prints for one entry.
    public static func appendJSON(path: String, name: String, inode: Inode, image: Image, to out: inout [UInt8]) {
        var path = path, name = name
        path.withUTF8 { pathBytes in
            name.withUTF8 { nameBytes in
                appendJSON(pathBytes: UnsafeRawBufferPointer(pathBytes), nameBytes: UnsafeRawBufferPointer(nameBytes), inode: inode, image: image, to: &out)
            }
        }
    }

    /// Appends the JSON object of one entry named by its path's last component (as
    /// `lastPathComponent` gives it), without making a `String` of the name.
    public static func appendJSON(path: String, inode: Inode, image: Image, to out: inout [UInt8]) {
        var path = path
        path.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var i = raw.count
            while i > 0 && raw[i - 1] != 0x2F { i -= 1 }
            if i == raw.count && i > 0 {
                let slash: StaticString = "/"
                appendJSON(pathBytes: raw, nameBytes: UnsafeRawBufferPointer(start: slash.utf8Start, count: 1), inode: inode, image: image, to: &out)
            } else {
                appendJSON(pathBytes: raw, nameBytes: UnsafeRawBufferPointer(rebasing: raw[i...]), inode: inode, image: image, to: &out)
            }
        }
    }

    /// Appends the JSON object of one entry whose path and name are given as UTF-8 bytes.
    public static func appendJSON(pathBytes: UnsafeRawBufferPointer, nameBytes: UnsafeRawBufferPointer, inode: Inode, image: Image, to out: inout [UInt8]) {
        appendKey("{\"path\":", to: &out)
        JSONString.append(escaping: pathBytes, to: &out)
        appendKey(",\"name\":", to: &out)
        JSONString.append(escaping: nameBytes, to: &out)
        // The fields after the name (at most 213 bytes) are written to the stack, then appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { scratch in
            var w = RawWriter(scratch.baseAddress!)
            w.key(",\"nid\":")
            w.decimal(inode.nid)
            w.key(",\"type\":\"")
            w.key(inode.type.jsonName)
            w.key("\",\"mode\":\"")
            w.octalMode(inode.permissions)
            w.key("\",\"nlink\":")
            w.decimal(UInt64(inode.nlink))
            w.key(",\"uid\":")
            w.decimal(UInt64(inode.uid))
            w.key(",\"gid\":")
            w.decimal(UInt64(inode.gid))
            w.key(",\"size\":")
            w.decimal(inode.size)
            w.key(",\"mtime\":")
            w.decimal(inode.mtime)
            out.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: w.count))
        }
        if inode.type == .symlink, let target = try? image.symlinkTarget(inode) {
            appendKey(",\"target\":", to: &out)
            appendString(target, to: &out)
        }
        if inode.type == .characterDevice || inode.type == .blockDevice {
            let rdev = inode.rdev
            appendKey(",\"rdev\":\"", to: &out)
            appendDecimal(UInt64(rdev.major), to: &out)
            out.append(0x3A)
            appendDecimal(UInt64(rdev.minor), to: &out)
            out.append(0x22)
        }
        out.append(0x7D)
    }

    /// Appends `s` as a JSON string literal.
    @inline(__always)
    public static func appendString(_ s: String, to out: inout [UInt8]) { JSONString.append(s, to: &out) }

    /// Appends a decimal number.
    @inline(__always)
    public static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        appendDigits(value, count: digitCount(value), to: &out)
    }

    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var v = value
        while v >= 10 { v /= 10; count += 1 }
        return count
    }

    /// Appends the `count` low decimal digits of `value`.
    @inline(__always)
    static func appendDigits(_ value: UInt64, count: Int, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: count))
        out.withUnsafeMutableBufferPointer { p in
            var w = RawWriter(p.baseAddress! + start)
            w.digits(value, count: count)
        }
    }

    /// Appends static text.
    @inline(__always)
    public static func appendKey(_ key: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// Seconds from 1970 of 10000-01-01 00:00 UTC: below it the date is formatted by hand.
    static let handFormattedLimit: UInt64 = 253_402_300_800

    /// `appendDate` through a one-entry cache of the last minute written.
    @inline(__always)
    static func appendDate(_ seconds: UInt64, cache: inout DateCache, to out: inout [UInt8]) {
        let minute = seconds / 60
        if minute == cache.minute {
            withUnsafeBytes(of: &cache.text) { out.append(contentsOf: $0) }
            return
        }
        let start = out.count
        appendDate(seconds, to: &out)
        if seconds < handFormattedLimit && out.count - start == 16 {
            cache.minute = minute
            withUnsafeMutableBytes(of: &cache.text) { text in
                out.withUnsafeBytes { text.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start + 16)])) }
            }
        }
    }

    /// `yyyy-MM-dd HH:mm` in UTC (proleptic Gregorian, as the en_US_POSIX formatter writes it).
    public static func appendDate(_ seconds: UInt64, to out: inout [UInt8]) {
        guard seconds < handFormattedLimit else {
            out.append(contentsOf: formattedByFoundation(seconds).utf8)
            return
        }
        let days = Int(seconds / 86_400), secondOfDay = Int(seconds % 86_400)
        // Days to civil date (H. Hinnant's algorithm), for days >= 0.
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        appendDigits(UInt64(year), count: 4, to: &out)
        out.append(0x2D)
        appendDigits(UInt64(month), count: 2, to: &out)
        out.append(0x2D)
        appendDigits(UInt64(day), count: 2, to: &out)
        out.append(0x20)
        appendDigits(UInt64(secondOfDay / 3600), count: 2, to: &out)
        out.append(0x3A)
        appendDigits(UInt64(secondOfDay / 60 % 60), count: 2, to: &out)
    }

    /// Dates past year 9999 (only corrupt or crafted images have them), as Foundation writes them.
    static func formattedByFoundation(_ seconds: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// Writes bytes through a pointer into scratch memory the caller sized for them (no
/// capacity or uniqueness check per byte, as appending to an array makes).
struct RawWriter {
    let start: UnsafeMutablePointer<UInt8>
    var count = 0

    init(_ start: UnsafeMutablePointer<UInt8>) { self.start = start }

    @inline(__always) mutating func byte(_ b: UInt8) {
        start[count] = b
        count += 1
    }

    @inline(__always) mutating func bytes(_ b: UnsafeRawBufferPointer) {
        guard let from = b.baseAddress else { return }
        UnsafeMutableRawPointer(start + count).copyMemory(from: from, byteCount: b.count)
        count += b.count
    }

    @inline(__always) mutating func key(_ text: StaticString) {
        bytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The `count` low decimal digits of `value`.
    @inline(__always) mutating func digits(_ value: UInt64, count n: Int) {
        var v = value
        var i = count + n - 1
        while i >= count {
            start[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        }
        count += n
    }

    @inline(__always) mutating func decimal(_ value: UInt64) {
        digits(value, count: ListingWriter.digitCount(value))
    }

    /// `value` right-aligned in `width` columns (wider values are not cut).
    @inline(__always) mutating func padded(_ value: UInt64, width: Int) {
        let n = ListingWriter.digitCount(value)
        var pad = width - n
        while pad > 0 { byte(0x20); pad -= 1 }
        digits(value, count: n)
    }

    /// Four octal digits, as `octalMode` writes them.
    @inline(__always) mutating func octalMode(_ permissions: UInt16) {
        let p = permissions & 0o7777
        byte(0x30 + UInt8(p >> 9))
        byte(0x30 + UInt8((p >> 6) & 7))
        byte(0x30 + UInt8((p >> 3) & 7))
        byte(0x30 + UInt8(p & 7))
    }

    /// `drwxr-xr-x` and friends, as `modeString` writes them.
    @inline(__always) mutating func mode(_ inode: Inode) {
        let letter: UInt8
        switch inode.type {
        case .regular: letter = 0x2D
        case .directory: letter = 0x64
        case .symlink: letter = 0x6C
        case .characterDevice: letter = 0x63
        case .blockDevice: letter = 0x62
        case .fifo: letter = 0x70
        case .socket: letter = 0x73
        }
        let m = inode.mode
        @inline(__always) func bit(_ b: UInt16, _ c: UInt8) -> UInt8 { m & b != 0 ? c : 0x2D }
        @inline(__always) func special(_ b: UInt16, _ flag: UInt16, _ c: UInt8, _ setLetter: UInt8) -> UInt8 {
            if m & flag != 0 { return m & b != 0 ? setLetter : setLetter - 0x20 }
            return bit(b, c)
        }
        byte(letter)
        byte(bit(0o400, 0x72)); byte(bit(0o200, 0x77)); byte(special(0o100, 0o4000, 0x78, 0x73))
        byte(bit(0o040, 0x72)); byte(bit(0o020, 0x77)); byte(special(0o010, 0o2000, 0x78, 0x73))
        byte(bit(0o004, 0x72)); byte(bit(0o002, 0x77)); byte(special(0o001, 0o1000, 0x78, 0x74))
    }
}

extension FileType {
    /// The JSON `type` value (`rawValue`), as static text.
    var jsonName: StaticString {
        switch self {
        case .regular: return "file"
        case .directory: return "dir"
        case .symlink: return "symlink"
        case .characterDevice: return "chardev"
        case .blockDevice: return "blockdev"
        case .fifo: return "fifo"
        case .socket: return "socket"
        }
    }
}
