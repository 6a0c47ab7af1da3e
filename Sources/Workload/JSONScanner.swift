/// A minimal, allocation-light JSON reader over UTF-8 bytes, enough for JSON Lines
/// traces: objects, arrays, strings (all escapes incl. surrogate pairs), numbers, literals.

struct JSONFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

enum JSONNumber {
    /// An integer literal: sign and magnitude (magnitude may have overflowed).
    case integer(negative: Bool, NumberParse)
    /// A literal with a fraction or exponent.
    case real(Double)
}

indirect enum ScannedJSON {
    case string(String)
    case number(JSONNumber)
    case bool(Bool)
    case null
    case array([ScannedJSON])
    case object([(String, ScannedJSON)])
}

struct JSONScanner {
    let p: UnsafeBufferPointer<UInt8>
    var i: Int
    static let maxDepth = 32

    init(_ p: UnsafeBufferPointer<UInt8>, at i: Int = 0) {
        self.p = p
        self.i = i
    }

    var atEnd: Bool { i >= p.count }

    @inline(__always) mutating func ws() {
        while i < p.count {
            let b = p[i]
            if b == 32 || b == 9 || b == 10 || b == 13 { i += 1 } else { break }
        }
    }

    @inline(__always) mutating func peek() -> UInt8? { i < p.count ? p[i] : nil }

    mutating func expect(_ c: UInt8, _ what: String) throws {
        ws()
        guard i < p.count, p[i] == c else {
            throw JSONFailure(i < p.count ? "expected \(what) at column \(i + 1)" : "truncated JSON (expected \(what))")
        }
        i += 1
    }

    /// Reads a string starting at `"`. Returns the raw range (between quotes) and whether
    /// it contains escapes.
    mutating func stringRange() throws -> (Range<Int>, Bool) {
        try expect(UInt8(ascii: "\""), "string")
        let start = i
        var escaped = false
        while i < p.count {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                let r = start..<i
                i += 1
                return (r, escaped)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            if b < 0x20 { throw JSONFailure("control character in string at column \(i + 1)") }
            i += 1
        }
        throw JSONFailure("unterminated string")
    }

    mutating func string() throws -> String {
        let (r, escaped) = try stringRange()
        if !escaped { return Workload.string(p, r) }
        return try unescape(r)
    }

    private func unescape(_ r: Range<Int>) throws -> String {
        var out = [UInt8]()
        out.reserveCapacity(r.count)
        var j = r.lowerBound
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= r.upperBound else { throw JSONFailure("bad \\u escape") }
            var v: UInt32 = 0
            for k in at..<at + 4 {
                guard let d = hexValue(p[k]) else { throw JSONFailure("bad \\u escape") }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while j < r.upperBound {
            let b = p[j]
            if b != UInt8(ascii: "\\") { out.append(b); j += 1; continue }
            guard j + 1 < r.upperBound else { throw JSONFailure("bad escape") }
            let e = p[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5c)
            case UInt8(ascii: "/"): out.append(0x2f)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(j)
                j += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // High surrogate: needs a following \uDC00-\uDFFF.
                    if j + 6 <= r.upperBound, p[j] == UInt8(ascii: "\\"), p[j + 1] == UInt8(ascii: "u") {
                        let lo = try hex4(j + 2)
                        if lo >= 0xDC00 && lo < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (lo - 0xDC00)
                            j += 6
                        } else { scalar = 0xFFFD }
                    } else { scalar = 0xFFFD }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw JSONFailure("bad escape \\\(Character(Unicode.Scalar(e)))")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func number() throws -> JSONNumber {
        ws()
        let start = i
        var negative = false
        if i < p.count, p[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let digitsStart = i
        while i < p.count, isDigit(p[i]) { i += 1 }
        let digitsEnd = i
        guard digitsEnd > digitsStart else { throw JSONFailure("bad number at column \(start + 1)") }
        var isReal = false
        if i < p.count, p[i] == UInt8(ascii: ".") {
            isReal = true
            i += 1
            let f = i
            while i < p.count, isDigit(p[i]) { i += 1 }
            guard i > f else { throw JSONFailure("bad number at column \(start + 1)") }
        }
        if i < p.count, p[i] | 0x20 == UInt8(ascii: "e") {
            isReal = true
            i += 1
            if i < p.count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            let f = i
            while i < p.count, isDigit(p[i]) { i += 1 }
            guard i > f else { throw JSONFailure("bad number at column \(start + 1)") }
        }
        if !isReal { return .integer(negative: negative, parseDecimal(p, digitsStart..<digitsEnd)) }
        if !negative, let d = parseSeconds(p, digitsStart..<i) { return .real(d) }
        guard let d = Double(Workload.string(p, start..<i)), d.isFinite else {
            throw JSONFailure("number out of range at column \(start + 1)")
        }
        return .real(d)
    }

    mutating func literal(_ s: StaticString) throws {
        guard hasPrefix(p, at: i, s) else { throw JSONFailure("bad literal at column \(i + 1)") }
        i += s.utf8CodeUnitCount
    }

    /// Skips any value, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws {
        _ = try value(depth: depth, keep: false)
    }

    mutating func value(depth: Int = 0, keep: Bool = true) throws -> ScannedJSON {
        guard depth < JSONScanner.maxDepth else { throw JSONFailure("JSON nested too deeply") }
        ws()
        guard let b = peek() else { throw JSONFailure("truncated JSON (expected a value)") }
        switch b {
        case UInt8(ascii: "\""):
            if keep { return .string(try string()) }
            _ = try stringRange()
            return .null
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, ScannedJSON)] = []
            ws()
            if peek() == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                ws()
                let k = try string()
                try expect(UInt8(ascii: ":"), "':'")
                let v = try value(depth: depth + 1, keep: keep)
                if keep { members.append((k, v)) }
                ws()
                guard let c = peek() else { throw JSONFailure("truncated JSON (unterminated object)") }
                i += 1
                if c == UInt8(ascii: "}") { return .object(members) }
                guard c == UInt8(ascii: ",") else { throw JSONFailure("expected ',' or '}' at column \(i)") }
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [ScannedJSON] = []
            ws()
            if peek() == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                let v = try value(depth: depth + 1, keep: keep)
                if keep { items.append(v) }
                ws()
                guard let c = peek() else { throw JSONFailure("truncated JSON (unterminated array)") }
                i += 1
                if c == UInt8(ascii: "]") { return .array(items) }
                guard c == UInt8(ascii: ",") else { throw JSONFailure("expected ',' or ']' at column \(i)") }
            }
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }
}
