import JSONOutput
/// Parser for the erofs-top native JSON Lines format (see NATIVE-FORMAT.md).
public struct NativeParser: TraceParser {
    public let format = TraceFormat.native
    public private(set) var metadata = TraceMetadata()
    /// Highest format version this parser understands.
    public static let version = 1

    private var sawContent = false
    private var declaredContainers: Set<String> = []

    public init() {}

    private struct Fields {
        var t: Double?
        var c: String?
        var ev: Range<Int>?
        var path: String?
        var nid: UInt64?
        var fd: Int64?
        var off: UInt64?
        var len: UInt64?
        var page: UInt64?
        var last: UInt64?
        var n: UInt64?
        var dev: String?
        var addr: UInt64?
        var text: String?
        var pid: Int32?
        var isHeader = false
    }

    public mutating func parse(bytes p: UnsafeBufferPointer<UInt8>, number: Int, into sink: inout TraceSink) {
        var start = 0
        while start < p.count, isSpace(p[start]) { start += 1 }
        if start == p.count || p[start] == UInt8(ascii: "#") {
            sink.ignored()
            return
        }
        guard p[start] == UInt8(ascii: "{") else {
            sink.error(number, "not a JSON object", p)
            return
        }
        do {
            let f: Fields
            do {
                f = try scanEvent(p, from: start)
            } catch is HeaderFound {
                try parseHeader(p, from: start, number: number, into: &sink)
                return
            }
            sawContent = true
            try build(f, p, number: number, into: &sink)
        } catch let e as JSONFailure {
            sawContent = true
            sink.error(number, e.message, p)
        } catch {
            sink.error(number, "\(error)", p)
        }
    }

    public mutating func finish(into sink: inout TraceSink) {}

    // MARK: Header

    private struct HeaderFound: Error {}

    private mutating func parseHeader(_ p: UnsafeBufferPointer<UInt8>, from: Int, number: Int, into sink: inout TraceSink) throws {
        var s = JSONScanner(p, at: from)
        guard case .object(let members) = try s.value() else { throw JSONFailure("header is not an object") }
        s.ws()
        guard s.atEnd else { throw JSONFailure("trailing characters after JSON object") }
        if sawContent {
            sink.error(number, "header must be the first line of the trace", p)
            return
        }
        sawContent = true
        var m = TraceMetadata()
        for (k, v) in members {
            switch (k, v) {
            case ("erofs_top_trace", .number(.integer(false, .value(let n)))):
                m.version = Int(clamping: n)
            case ("readahead_kb", .number(.integer(false, .value(let n)))) where n <= 1 << 30:
                m.readaheadKB = Int(n)
            case ("containers", .array(let items)):
                for item in items {
                    guard case .string(let name) = item else { throw JSONFailure("containers must be an array of strings") }
                    m.containers.append(name)
                }
            case ("devices", .object(let pairs)):
                for (dev, c) in pairs {
                    guard case .string(let name) = c else { throw JSONFailure("devices must map \"major:minor\" to container names") }
                    m.devices[dev] = name
                }
            case ("cache", .string(let c)):
                m.cache = CacheState(c)
            case ("erofs_top_trace", _), ("readahead_kb", _), ("containers", _), ("devices", _), ("cache", _):
                throw JSONFailure("header field \(k) has the wrong type or range")
            default:
                m.extra[k] = rawJSON(v)
            }
        }
        if let v = m.version, v > NativeParser.version {
            sink.warning(number, "trace format version \(v) is newer than \(NativeParser.version); reading what this version understands", p)
        } else if m.version == 0 {
            throw JSONFailure("erofs_top_trace version must be >= 1")
        }
        metadata = m
        declaredContainers = Set(m.containers)
        sink.ignored()
    }

    private func rawJSON(_ v: ScannedJSON) -> String {
        switch v {
        case .string(let s): return JSONString.quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .number(.integer(let neg, .value(let n))): return (neg ? "-" : "") + String(n)
        case .number(.integer): return "null"
        case .number(.real(let d)): return String(d)
        case .array(let a): return "[" + a.map(rawJSON).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { JSONString.quoted($0.0) + ":" + rawJSON($0.1) }.joined(separator: ",") + "}"
        }
    }

    // MARK: Events

    private func uint(_ s: inout JSONScanner, _ name: StaticString) throws -> UInt64? {
        s.ws()
        if s.peek() == UInt8(ascii: "n") { try s.literal("null"); return nil }
        guard let b = s.peek(), b == UInt8(ascii: "-") || isDigit(b) else {
            throw JSONFailure("field \(name) must be a non-negative integer")
        }
        switch try s.number() {
        case .integer(true, .value(0)): return 0
        case .integer(true, _): throw JSONFailure("field \(name) is negative")
        case .integer(false, .overflow): throw JSONFailure("field \(name) is out of range")
        case .integer(false, .value(let v)): return v
        case .integer(false, .invalid): throw JSONFailure("field \(name) is not a number")
        case .real: throw JSONFailure("field \(name) must be an integer")
        }
    }

    private func str(_ s: inout JSONScanner, _ name: StaticString) throws -> String? {
        s.ws()
        if s.peek() == UInt8(ascii: "n") { try s.literal("null"); return nil }
        guard s.peek() == UInt8(ascii: "\"") else { throw JSONFailure("field \(name) must be a string") }
        return try s.string()
    }

    private func scanEvent(_ p: UnsafeBufferPointer<UInt8>, from: Int) throws -> Fields {
        var s = JSONScanner(p, at: from)
        var f = Fields()
        try s.expect(UInt8(ascii: "{"), "'{'")
        s.ws()
        if s.peek() == UInt8(ascii: "}") {
            s.i += 1
        } else {
            while true {
                s.ws()
                let (k, escaped) = try s.stringRange()
                try s.expect(UInt8(ascii: ":"), "':'")
                if escaped {
                    try s.skipValue()
                } else if bytesEqual(p, k, "erofs_top_trace") {
                    throw HeaderFound()
                } else if bytesEqual(p, k, "t") {
                    s.ws()
                    if s.peek() == UInt8(ascii: "n") { try s.literal("null") } else {
                        guard let b = s.peek(), b == UInt8(ascii: "-") || isDigit(b) else { throw JSONFailure("field t must be a number") }
                        switch try s.number() {
                        case .integer(false, .value(let v)): f.t = Double(v)
                        case .integer(true, .value(0)): f.t = 0
                        case .real(let d) where d >= 0: f.t = d
                        case .integer(false, .overflow): f.t = Double(UInt64.max)
                        default: throw JSONFailure("field t must be a non-negative number of seconds")
                        }
                    }
                } else if bytesEqual(p, k, "ev") {
                    s.ws()
                    guard s.peek() == UInt8(ascii: "\"") else { throw JSONFailure("field ev must be a string") }
                    let (r, esc) = try s.stringRange()
                    f.ev = esc ? (r.lowerBound..<r.lowerBound) : r
                } else if bytesEqual(p, k, "c") {
                    f.c = try str(&s, "c")
                } else if bytesEqual(p, k, "fd") {
                    if let v = try uint(&s, "fd") {
                        guard v <= UInt64(Int64.max) else { throw JSONFailure("field fd is out of range") }
                        f.fd = Int64(v)
                    }
                } else if bytesEqual(p, k, "off") {
                    f.off = try uint(&s, "off")
                } else if bytesEqual(p, k, "len") {
                    f.len = try uint(&s, "len")
                } else if bytesEqual(p, k, "page") {
                    f.page = try uint(&s, "page")
                } else if bytesEqual(p, k, "path") {
                    f.path = try str(&s, "path")
                } else if bytesEqual(p, k, "nid") {
                    f.nid = try uint(&s, "nid")
                } else if bytesEqual(p, k, "last") {
                    f.last = try uint(&s, "last")
                } else if bytesEqual(p, k, "n") {
                    f.n = try uint(&s, "n")
                } else if bytesEqual(p, k, "dev") {
                    f.dev = try str(&s, "dev")
                } else if bytesEqual(p, k, "addr") {
                    f.addr = try uint(&s, "addr")
                } else if bytesEqual(p, k, "text") {
                    f.text = try str(&s, "text")
                } else if bytesEqual(p, k, "pid") {
                    if let v = try uint(&s, "pid") {
                        guard v <= UInt64(Int32.max) else { throw JSONFailure("field pid is out of range") }
                        f.pid = Int32(v)
                    }
                } else {
                    try s.skipValue()
                }
                s.ws()
                guard let c = s.peek() else { throw JSONFailure("truncated JSON (unterminated object)") }
                s.i += 1
                if c == UInt8(ascii: "}") { break }
                guard c == UInt8(ascii: ",") else { throw JSONFailure("expected ',' or '}' at column \(s.i)") }
            }
        }
        s.ws()
        guard s.atEnd else { throw JSONFailure("trailing characters after JSON object") }
        return f
    }

    private func need<T>(_ v: T?, _ name: StaticString, _ ev: String) throws -> T {
        guard let v else { throw JSONFailure("\(ev) event needs field \(name)") }
        return v
    }

    private func fileRef(_ f: Fields, _ ev: String) throws -> FileRef? {
        switch (f.path, f.nid) {
        case (let p?, nil): return .path(p)
        case (nil, let n?): return .nid(n)
        case (_?, _?): throw JSONFailure("\(ev) event has both path and nid")
        case (nil, nil): return nil
        }
    }

    private func target(_ f: Fields, _ ev: String) throws -> FileTarget {
        if let r = try fileRef(f, ev) {
            if f.fd != nil { throw JSONFailure("\(ev) event has both a file and fd") }
            return .file(r, device: f.dev)
        }
        guard let fd = f.fd else { throw JSONFailure("\(ev) event needs path, nid or fd") }
        return .handle(fd)
    }

    private func pageIndex(_ v: UInt64, _ name: StaticString) throws -> UInt64 {
        guard v <= TraceLimits.maxOffset >> TraceLimits.pageShift else { throw JSONFailure("field \(name) is out of range") }
        return v
    }

    private mutating func build(_ f: Fields, _ p: UnsafeBufferPointer<UInt8>, number: Int, into sink: inout TraceSink) throws {
        guard let evRange = f.ev else { throw JSONFailure("missing field ev") }
        let ev = Workload.string(p, evRange)
        guard let name = EventKindName(rawValue: ev) else {
            throw JSONFailure("unknown event type \"\(ev)\"")
        }
        var clamped = false
        let kind: TraceEvent.Kind
        switch name {
        case .open:
            guard let file = try fileRef(f, ev) else { throw JSONFailure("open event needs path or nid") }
            kind = .open(file: file, handle: try need(f.fd, "fd", ev))
        case .readdir:
            guard let file = try fileRef(f, ev) else { throw JSONFailure("readdir event needs path or nid") }
            kind = .dirRead(file)
        case .read:
            var len = try need(f.len, "len", ev)
            if let e = checkRange(offset: f.off ?? 0, length: &len, clamped: &clamped) { throw JSONFailure(e) }
            kind = .read(handle: try need(f.fd, "fd", ev), offset: f.off, length: len)
        case .pread:
            var len = try need(f.len, "len", ev)
            let off = try need(f.off, "off", ev)
            if let e = checkRange(offset: off, length: &len, clamped: &clamped) { throw JSONFailure(e) }
            kind = .pread(handle: try need(f.fd, "fd", ev), offset: off, length: len)
        case .mmap:
            var len = try need(f.len, "len", ev)
            let off = f.off ?? 0
            if let e = checkRange(offset: off, length: &len, clamped: &clamped) { throw JSONFailure(e) }
            kind = .mmap(handle: try need(f.fd, "fd", ev), offset: off, length: len, address: f.addr)
        case .close:
            kind = .close(handle: try need(f.fd, "fd", ev))
        case .fault:
            let page: UInt64
            if let pg = f.page { page = try pageIndex(pg, "page") } else if let off = f.off {
                guard off <= TraceLimits.maxOffset else { throw JSONFailure("field off is out of range") }
                page = off >> TraceLimits.pageShift
            } else { throw JSONFailure("fault event needs page or off") }
            kind = .fault(try target(f, ev), page: page)
        case .map, .get:
            let first: UInt64, last: UInt64
            if let pg = f.page {
                first = try pageIndex(pg, "page")
                last = try pageIndex(f.last ?? pg, "last")
            } else if let off = f.off, var len = f.len {
                if let e = checkRange(offset: off, length: &len, clamped: &clamped) { throw JSONFailure(e) }
                guard len > 0 else { throw JSONFailure("\(ev) event with len 0") }
                first = off >> TraceLimits.pageShift
                last = (off + len - 1) >> TraceLimits.pageShift
            } else { throw JSONFailure("\(ev) event needs page[/last] or off+len") }
            guard last >= first else { throw JSONFailure("\(ev) event has last < page") }
            let t = try target(f, ev)
            kind = name == .map ? .mapPages(t, first: first, last: last) : .getPages(t, first: first, last: last)
        case .add, .delete:
            guard let file = try fileRef(f, ev) else { throw JSONFailure("\(ev) event needs path or nid") }
            let page: UInt64
            if let pg = f.page { page = try pageIndex(pg, "page") } else if let off = f.off {
                guard off <= TraceLimits.maxOffset else { throw JSONFailure("field off is out of range") }
                page = off >> TraceLimits.pageShift
            } else { throw JSONFailure("\(ev) event needs page or off") }
            var count = f.n ?? 1
            guard count >= 1 else { throw JSONFailure("field n must be >= 1") }
            let maxCount = TraceLimits.maxLength >> TraceLimits.pageShift
            if count > maxCount { count = maxCount; clamped = true }
            guard page + count <= (TraceLimits.maxOffset >> TraceLimits.pageShift) else { throw JSONFailure("page range is out of range") }
            kind = name == .add
                ? .pageAdd(file: file, device: f.dev, page: page, count: count)
                : .pageDelete(file: file, device: f.dev, page: page, count: count)
        case .note:
            kind = .note(f.text ?? "")
        }
        if clamped {
            sink.warning(number, "length clamped to the 1 TiB limit", p)
        }
        if let c = f.c, !declaredContainers.isEmpty, !declaredContainers.contains(c) {
            sink.warning(number, "container \"\(c)\" is not declared in the header", p)
        }
        sink.emit(TraceEvent(time: f.t, container: f.c, pid: f.pid, line: number, kind: kind))
    }
}
