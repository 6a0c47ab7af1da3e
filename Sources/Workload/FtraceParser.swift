/// Parser for ftrace text output with `filemap` events (`/sys/kernel/tracing/trace`,
/// `trace_pipe`, `trace-cmd report`, `perf script`).
///
/// Line prefix: `TASK-PID [(TGID)] [CPU] [FLAGS] TIMESTAMP: [filemap:]EVENT: FIELDS`.
/// Task names may contain spaces and dashes; the pid is the digits after the last `-`
/// (or space, for `perf script`) before the `[CPU]` column.
///
/// Supported printk variants (include/trace/events/filemap.h):
/// - add/delete, Linux 4.x up to 5.15: `dev %d:%d ino %lx page=%p pfn=%lu ofs=%lu`
///   (pfn later printed as `pfn=0x%lx`); one page per event.
/// - add/delete, folio era (5.16+, verified live on 6.18): `dev %d:%d ino %lx pfn=0x%lx
///   ofs=%lu order=%u`; `1 << order` pages per event.
/// - get_pages/map_pages (6.10+, verified live on 6.18): `dev=%d:%d ino=%lx ofs=%lld-%lld`,
///   the range's last byte being `((last_index + 1) << PAGE_SHIFT) - 1`; also the posted v1
///   form `ofs=%lld max_ofs=%lld` (`max_ofs = last_index << PAGE_SHIFT`) and `dev ... ino ...`
///   spacing.
/// - fault (6.10+): `dev=%d:%d ino=%lx ofs=%lld`.
/// - `ino` is hex with or without `0x` (`%lx`/`%llx`); `ofs` is decimal bytes; both
///   `key value` and `key=value` spellings are accepted for every field.
/// Other events (and other tracepoints) are ignored; `CPU:N [LOST M EVENTS]` is a warning.
/// Byte offsets become page indices with `TraceLimits.pageShift` (the tracing kernel's
/// PAGE_SHIFT must match: 12 on x86-64 and most arm64 configurations).
public struct FtraceParser: TraceParser {
    public let format = TraceFormat.ftrace
    private var devices: Set<String> = []

    public init() {}

    public var metadata: TraceMetadata {
        var m = TraceMetadata()
        m.devicesSeen = devices.sorted()
        return m
    }

    struct Prefix {
        var pid: Int32?
        var time: Double
        var event: Range<Int>
        var fields: Int
    }

    /// Parses the line prefix; nil if the line does not have ftrace shape.
    static func prefix(_ p: UnsafeBufferPointer<UInt8>) -> Prefix? {
        // Find "[digits]" (the CPU column).
        var i = 0
        var cpuOpen = -1, cpuClose = -1
        while i < p.count {
            if p[i] == UInt8(ascii: "[") {
                var j = i + 1
                while j < p.count, isDigit(p[j]) { j += 1 }
                if j > i + 1, j < p.count, p[j] == UInt8(ascii: "]") {
                    cpuOpen = i
                    cpuClose = j
                    break
                }
            }
            i += 1
        }
        guard cpuOpen > 0 else { return nil }
        // Task-pid (and optional "(tgid)") before the CPU column.
        var e = cpuOpen
        while e > 0, p[e - 1] == 32 { e -= 1 }
        if e > 0, p[e - 1] == UInt8(ascii: ")"), let open = p[0..<e].lastIndex(of: UInt8(ascii: "(")) {
            e = open
            while e > 0, p[e - 1] == 32 { e -= 1 }
        }
        var d = e
        while d > 0, isDigit(p[d - 1]) { d -= 1 }
        var pid: Int32? = nil
        if d < e, d > 0, p[d - 1] == UInt8(ascii: "-") || p[d - 1] == 32, case .value(let v) = parseDecimal(p, d..<e), v <= UInt64(Int32.max) {
            pid = Int32(v)
        } else {
            return nil
        }
        // Tokens after the CPU column: [flags] timestamp: event:
        func token(_ i: inout Int) -> Range<Int>? {
            while i < p.count, p[i] == 32 { i += 1 }
            let s = i
            while i < p.count, p[i] != 32 { i += 1 }
            return i > s ? s..<i : nil
        }
        i = cpuClose + 1
        guard var ts = token(&i) else { return nil }
        if !isTimestamp(p, ts) {
            guard let next = token(&i), isTimestamp(p, next) else { return nil }
            ts = next
        }
        guard let ev = token(&i), ev.count > 1, p[ev.upperBound - 1] == UInt8(ascii: ":"),
              let t = parseSeconds(p, ts.lowerBound..<(ts.upperBound - 1)) else { return nil }
        var name = ev.lowerBound..<(ev.upperBound - 1)
        if let colon = p[name].firstIndex(of: UInt8(ascii: ":")) { name = (colon + 1)..<name.upperBound }
        return Prefix(pid: pid, time: t, event: name, fields: ev.upperBound)
    }

    private static func isTimestamp(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard r.count >= 2, p[r.upperBound - 1] == UInt8(ascii: ":"), isDigit(p[r.lowerBound]) else { return false }
        for k in r.lowerBound..<(r.upperBound - 1) where !(isDigit(p[k]) || p[k] == UInt8(ascii: ".")) { return false }
        return true
    }

    static func looksLikeFtrace(_ p: UnsafeBufferPointer<UInt8>) -> Bool { prefix(p) != nil }

    private enum Event { case add, delete, fault, getPages, mapPages }

    public mutating func parse(bytes p: UnsafeBufferPointer<UInt8>, number: Int, into sink: inout TraceSink) {
        var s = 0
        while s < p.count, isSpace(p[s]) { s += 1 }
        if s == p.count || p[s] == UInt8(ascii: "#") { sink.ignored(); return }
        // trace-cmd report starts with "cpus=N" (and may print "version = N").
        if hasPrefix(p, at: s, "cpus=") || hasPrefix(p, at: s, "version = ") { sink.ignored(); return }
        if hasPrefix(p, at: s, "CPU:") {
            if p.firstIndex(of: UInt8(ascii: "L")).map({ hasPrefix(p, at: $0, "LOST") }) == true {
                sink.warning(number, "the trace buffer lost events here; page cache state may be incomplete", p)
            } else { sink.ignored() }
            return
        }
        guard let pre = FtraceParser.prefix(p) else {
            sink.error(number, "not an ftrace event line", p)
            return
        }
        let ev: Event
        if bytesEqual(p, pre.event, "mm_filemap_add_to_page_cache") { ev = .add }
        else if bytesEqual(p, pre.event, "mm_filemap_delete_from_page_cache") { ev = .delete }
        else if bytesEqual(p, pre.event, "mm_filemap_map_pages") { ev = .mapPages }
        else if bytesEqual(p, pre.event, "mm_filemap_get_pages") { ev = .getPages }
        else if bytesEqual(p, pre.event, "mm_filemap_fault") { ev = .fault }
        else { sink.ignored(); return }

        // Fields: "key=value" or "key value".
        var dev: Range<Int>?, ino: Range<Int>?, ofs: Range<Int>?, maxOfs: Range<Int>?, order: Range<Int>?
        var i = pre.fields
        var pendingKey: Range<Int>? = nil
        while i < p.count {
            while i < p.count, p[i] == 32 { i += 1 }
            let ts = i
            while i < p.count, p[i] != 32 { i += 1 }
            guard i > ts else { break }
            var k: Range<Int>, v: Range<Int>
            if let pk = pendingKey {
                k = pk
                v = ts..<i
                pendingKey = nil
            } else if let eq = p[ts..<i].firstIndex(of: UInt8(ascii: "=")) {
                k = ts..<eq
                v = (eq + 1)..<i
            } else {
                if bytesEqual(p, ts..<i, "dev") || bytesEqual(p, ts..<i, "ino") { pendingKey = ts..<i }
                continue
            }
            if bytesEqual(p, k, "dev") { dev = v }
            else if bytesEqual(p, k, "ino") { ino = v }
            else if bytesEqual(p, k, "ofs") { ofs = v }
            else if bytesEqual(p, k, "max_ofs") { maxOfs = v }
            else if bytesEqual(p, k, "order") { order = v }
        }
        guard let dev, let ino, let ofs else {
            sink.error(number, "event lacks dev, ino or ofs", p)
            return
        }
        // dev "major:minor", decimal.
        guard let colon = p[dev].firstIndex(of: UInt8(ascii: ":")),
              case .value(let major) = parseDecimal(p, dev.lowerBound..<colon), major < 1 << 12,
              case .value(let minor) = parseDecimal(p, (colon + 1)..<dev.upperBound), minor < 1 << 20 else {
            sink.error(number, "malformed dev (expected major:minor)", p)
            return
        }
        let device = "\(major):\(minor)"
        let nid: UInt64
        switch parseHex(p, ino) {
        case .value(let v): nid = v
        case .overflow: sink.error(number, "ino out of range", p); return
        case .invalid: sink.error(number, "malformed ino (expected hex)", p); return
        }
        func offset(_ r: Range<Int>) -> UInt64? {
            if !r.isEmpty, p[r.lowerBound] == UInt8(ascii: "-") { sink.error(number, "negative ofs", p); return nil }
            switch parseDecimal(p, r) {
            case .value(let v) where v <= TraceLimits.maxOffset: return v
            case .value, .overflow: sink.error(number, "ofs out of range", p); return nil
            case .invalid: sink.error(number, "malformed ofs", p); return nil
            }
        }
        var first: UInt64, last: UInt64
        if ev == .getPages || ev == .mapPages {
            var a = ofs, b: Range<Int>
            if let dash = p[ofs].dropFirst().firstIndex(of: UInt8(ascii: "-")) {
                a = ofs.lowerBound..<dash
                b = (dash + 1)..<ofs.upperBound
            } else if let maxOfs {
                b = maxOfs
            } else {
                sink.error(number, "range event lacks an end (ofs=A-B or max_ofs=B)", p)
                return
            }
            guard let x = offset(a), let y = offset(b) else { return }
            first = x >> TraceLimits.pageShift
            last = y >> TraceLimits.pageShift
            guard last >= first else { sink.error(number, "range ends before it starts", p); return }
        } else {
            guard let x = offset(ofs) else { return }
            first = x >> TraceLimits.pageShift
            last = first
        }
        var count: UInt64 = 1
        if let order {
            guard case .value(let o) = parseDecimal(p, order), o <= TraceLimits.maxFolioOrder else {
                sink.error(number, "malformed or absurd folio order", p)
                return
            }
            count = 1 << o
        }
        devices.insert(device)
        let file = FileRef.nid(nid)
        let kind: TraceEvent.Kind
        switch ev {
        case .add: kind = .pageAdd(file: file, device: device, page: first, count: count)
        case .delete: kind = .pageDelete(file: file, device: device, page: first, count: count)
        case .fault: kind = .fault(.file(file, device: device), page: first)
        case .getPages: kind = .getPages(.file(file, device: device), first: first, last: last)
        case .mapPages: kind = .mapPages(.file(file, device: device), first: first, last: last)
        }
        sink.emit(TraceEvent(time: pre.time, container: nil, pid: pre.pid, line: number, kind: kind))
    }

    public mutating func finish(into sink: inout TraceSink) {}
}
