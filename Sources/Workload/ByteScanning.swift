/// Small byte-level helpers shared by the parsers. Everything works on UTF-8 bytes so
/// binary junk cannot trip String validation, and numbers are checked for overflow.

enum NumberParse: Equatable {
    case value(UInt64)
    case overflow
    case invalid
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
@inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }

@inline(__always) func hexValue(_ b: UInt8) -> UInt64? {
    switch b {
    case 48...57: return UInt64(b - 48)
    case 97...102: return UInt64(b - 87)
    case 65...70: return UInt64(b - 55)
    default: return nil
    }
}

/// Decimal digits only (no sign); the whole slice must be digits.
func parseDecimal(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> NumberParse {
    if range.isEmpty || range.count > 4096 { return range.isEmpty ? .invalid : .overflow }
    var v: UInt64 = 0
    var overflow = false
    for i in range {
        let d = p[i] &- 48
        guard d < 10 else { return .invalid }
        if !overflow {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { overflow = true } else { v = a }
        }
    }
    return overflow ? .overflow : .value(v)
}

/// Hex digits, optional `0x`/`0X` prefix; the whole slice must be consumed.
func parseHex(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> NumberParse {
    var lo = range.lowerBound
    if range.count >= 2, p[lo] == UInt8(ascii: "0"), p[lo + 1] | 0x20 == UInt8(ascii: "x") { lo += 2 }
    if lo >= range.upperBound { return .invalid }
    var v: UInt64 = 0
    var overflow = false
    for i in lo..<range.upperBound {
        guard let d = hexValue(p[i]) else { return .invalid }
        if v > (UInt64.max >> 4) { overflow = true }
        v = v &<< 4 | d
    }
    return overflow ? .overflow : .value(v)
}

/// `0x...` as hex, otherwise decimal (strace prints mmap offsets either way).
func parseCNumber(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> NumberParse {
    if range.count >= 2, p[range.lowerBound] == UInt8(ascii: "0"), p[range.lowerBound + 1] | 0x20 == UInt8(ascii: "x") {
        return parseHex(p, range)
    }
    return parseDecimal(p, range)
}

/// Parses `[0-9]+(\.[0-9]*)?` into seconds; returns nil if malformed.
func parseSeconds(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    var i = range.lowerBound
    var intPart: Double = 0
    var digits = 0
    while i < range.upperBound, isDigit(p[i]) {
        intPart = intPart * 10 + Double(p[i] - 48)
        digits += 1
        i += 1
    }
    if digits == 0 || digits > 18 { return nil }
    if i == range.upperBound { return intPart }
    guard p[i] == UInt8(ascii: ".") else { return nil }
    i += 1
    var frac: Double = 0
    var scale: Double = 1
    var fdigits = 0
    while i < range.upperBound, isDigit(p[i]) {
        if fdigits < 12 { frac = frac * 10 + Double(p[i] - 48); scale *= 10 }
        fdigits += 1
        i += 1
    }
    guard i == range.upperBound else { return nil }
    return intPart + frac / scale
}

func bytesEqual(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ s: StaticString) -> Bool {
    guard range.count == s.utf8CodeUnitCount else { return false }
    let q = s.utf8Start
    var j = 0
    for i in range {
        if p[i] != q[j] { return false }
        j += 1
    }
    return true
}

func hasPrefix(_ p: UnsafeBufferPointer<UInt8>, at start: Int, _ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard start >= 0, start + n <= p.count else { return false }
    let q = s.utf8Start
    for j in 0..<n where p[start + j] != q[j] { return false }
    return true
}

func string(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: p[range]), as: UTF8.self)
}

/// Validates a byte length / offset pair against `TraceLimits`.
/// Returns an error message, or nil with `length` possibly clamped (then `clamped` is true).
func checkRange(offset: UInt64, length: inout UInt64, clamped: inout Bool) -> String? {
    if offset > TraceLimits.maxOffset { return "offset \(offset) exceeds the 2^63-1 limit" }
    if length > TraceLimits.maxOffset { return "length \(length) exceeds the 2^63-1 limit" }
    if length > TraceLimits.maxLength {
        length = TraceLimits.maxLength
        clamped = true
    }
    if offset + length > TraceLimits.maxOffset { return "offset + length exceeds the 2^63-1 limit" }
    return nil
}
