/// The calls that make up most of a trace, read in place: `read(FD, "…"…, N) = R`,
/// `close(FD) = R` and `openat(DIRFD, "/absolute/path", FLAGS…) = R`, with no argument list
/// and no strings built (but the opened path). Anything not exactly of these shapes (fd
/// annotations, escaped or truncated paths, relative paths, odd numbers, malformed text) is
/// left to the general path (`split`), which reads it, or reports it, as before: each shape
/// accepted here is one `split` reads into the same arguments.
extension StraceParser {
    /// Handles `p` (a call from its name to the end of the line) if it is a plain read, close
    /// or absolute openat; false (nothing done) otherwise.
    mutating func plainCall(_ p: UnsafeBufferPointer<UInt8>, line: UnsafeBufferPointer<UInt8>, number: Int, pid: Int32?, time: Double?,
                            into sink: inout TraceSink) -> Bool {
        guard p.count > 8 else { return false }
        switch p[0] {
        case UInt8(ascii: "r"):
            guard hasPrefix(p, at: 0, "read(") else { return false }
            return plainRead(p, line: line, number: number, pid: pid, time: time, into: &sink)
        case UInt8(ascii: "c"):
            guard hasPrefix(p, at: 0, "close(") else { return false }
            var i = 6
            guard let fd = smallNumber(p, &i), i < p.count, p[i] == UInt8(ascii: ")") else { return false }
            guard let result = plainResult(p, after: i + 1) else { return false }
            guard case .value = result, files[key(pid ?? 0, fd)] != nil else { sink.ignored(); return true }
            closeFD(key(pid ?? 0, fd), number: number, time: time, pid: pid, into: &sink)
            return true
        case UInt8(ascii: "o"):
            guard hasPrefix(p, at: 0, "openat(") else { return false }
            return plainOpenat(p, line: line, number: number, pid: pid, time: time, into: &sink)
        default:
            return false
        }
    }

    /// What follows a call's closing parenthesis: ` = R` and the end of the line or a space.
    enum PlainResult { case value(UInt64), failed }

    /// The result after `i` (just past the closing parenthesis): a decimal of at most 18 digits,
    /// or `failed` for `-…`/`?` (the general path ignores those calls); nil for any other shape.
    func plainResult(_ p: UnsafeBufferPointer<UInt8>, after start: Int) -> PlainResult? {
        var i = start
        while i < p.count, p[i] == 32 { i += 1 }
        guard i < p.count, p[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < p.count, p[i] == 32 { i += 1 }
        guard i < p.count else { return nil }
        if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "?") { return .failed }
        let s = i
        var v: UInt64 = 0
        while i < p.count, isDigit(p[i]) { v = v &* 10 &+ UInt64(p[i] - 48); i += 1 }
        guard i > s, i - s <= 18, i == p.count || p[i] == 32 else { return nil }
        return .value(v)
    }

    /// Decimal digits at `i` (at most 9: an fd in Int32 range), `i` moved past them.
    func smallNumber(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int64? {
        let s = i
        var v: Int64 = 0
        while i < p.count, isDigit(p[i]) { v = v * 10 + Int64(p[i] - 48); i += 1; if i - s > 9 { return nil } }
        return i > s ? v : nil
    }

    /// The end of a quoted string starting at `i` (just past its closing quote), scanned as
    /// `split` does (a backslash skips the next byte); nil if unterminated. `escaped` is set if
    /// it held a backslash.
    func quotedEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int, escaped: inout Bool) -> Int? {
        guard start < p.count, p[start] == UInt8(ascii: "\"") else { return nil }
        var i = start + 1
        while i < p.count, p[i] != UInt8(ascii: "\"") {
            if p[i] == UInt8(ascii: "\\") { escaped = true; i += 2 } else { i += 1 }
        }
        return i < p.count ? i + 1 : nil
    }

    private mutating func plainRead(_ p: UnsafeBufferPointer<UInt8>, line: UnsafeBufferPointer<UInt8>, number: Int, pid: Int32?, time: Double?,
                                    into sink: inout TraceSink) -> Bool {
        var i = 5
        guard let fd = smallNumber(p, &i), i < p.count, p[i] == UInt8(ascii: ",") else { return false }
        i += 1
        while i < p.count, p[i] == 32 { i += 1 }
        var escaped = false
        guard var j = quotedEnd(p, from: i, escaped: &escaped) else { return false }
        if hasPrefix(p, at: j, "...") { j += 3 }
        guard j < p.count, p[j] == UInt8(ascii: ",") else { return false }
        j += 1
        while j < p.count, p[j] == 32 { j += 1 }
        let size = j
        while j < p.count, isDigit(p[j]) { j += 1 }
        guard j > size, j < p.count, p[j] == UInt8(ascii: ")") else { return false }
        guard let result = plainResult(p, after: j + 1) else { return false }
        guard case .value(let count) = result else { sink.ignored(); return true }
        transferred(count, fd: fd, at: nil, line: line, number: number, pid: pid, time: time, into: &sink)
        return true
    }

    private mutating func plainOpenat(_ p: UnsafeBufferPointer<UInt8>, line: UnsafeBufferPointer<UInt8>, number: Int, pid: Int32?, time: Double?,
                                      into sink: inout TraceSink) -> Bool {
        // The directory fd does not matter for an absolute path: any bracket-free token.
        var i = 7
        while i < p.count, p[i] != UInt8(ascii: ",") {
            if isBracketOrQuote(p[i]) { return false }
            i += 1
        }
        guard i > 7, i < p.count else { return false }
        i += 1
        while i < p.count, p[i] == 32 { i += 1 }
        var escaped = false
        guard let end = quotedEnd(p, from: i, escaped: &escaped), !escaped, end - i > 2, p[i + 1] == UInt8(ascii: "/") else { return false }
        // Flags and mode: bracket-free up to the closing parenthesis (no "..." of a truncated path).
        var j = end
        guard j < p.count, p[j] == UInt8(ascii: ",") || p[j] == UInt8(ascii: ")") else { return false }
        while j < p.count, p[j] != UInt8(ascii: ")") {
            if isBracketOrQuote(p[j]) { return false }
            j += 1
        }
        guard j < p.count, let result = plainResult(p, after: j + 1) else { return false }
        guard case .value(let fd) = result else { sink.ignored(); return true }
        guard fd <= UInt64(Int32.max) else { sink.error(number, "fd out of range", line); return true }
        let path = String(decoding: UnsafeBufferPointer(rebasing: p[(i + 1)..<(end - 1)]), as: UTF8.self)
        opened(path, fd: Int64(fd), number: number, pid: pid, time: time, into: &sink)
        return true
    }

    @inline(__always) private func isBracketOrQuote(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"): return true
        default: return false
        }
    }
}
