/// Parser for strace logs, e.g. from
/// `strace -f -tt -e trace=openat,read,pread64,mmap,close -o LOG cmd`.
///
/// Accepted line shapes:
/// - optional pid column (`-f -o LOG`: `1234 `, or `[pid  1234] ` when written to a terminal);
/// - optional timestamp: `-t` (`HH:MM:SS`), `-tt` (`HH:MM:SS.micro`, seconds since midnight,
///   with midnight wrap-around detected), `-ttt` (`epoch.micro`);
/// - optional `-T` durations (`<0.000012>`) and `-y` fd annotations (`3</usr/lib/x.so>`);
/// - `<unfinished ...>` / `<... NAME resumed>` halves, joined per pid.
///
/// Semantics:
/// - `open`/`openat`/`openat2` returning an fd emit `.open` with the path as written
///   (relative paths are joined to the directory fd's path when known: from an earlier open
///   of that fd, or a `-y` annotation such as `AT_FDCWD</cwd>`; otherwise kept as given);
///   handles are fresh ids per successful open (unique across pids), not fd numbers.
/// - `read` emits `.read` of the *returned* byte count at the fd's tracked position, which
///   then advances. `lseek` is honoured if it is traced; otherwise positions can drift for
///   programs that seek (document your trace set accordingly). `pread64` emits `.pread` of
///   the returned count; `mmap`/`mmap2` with a traced file fd emit `.mmap`; `close` emits
///   `.close`. `getdents64`, if traced, emits one `.dirRead` per opened directory.
/// - fd tables are per pid: threads sharing an fd table and children inheriting fds across
///   fork are not modelled, so I/O on an fd the pid never opened (stdin, pipes, inherited
///   fds) is ignored, as are failed calls, zero-byte reads, signals, exits and other syscalls.
public struct StraceParser: TraceParser {
    public let format = TraceFormat.strace
    public private(set) var metadata = TraceMetadata()

    struct OpenFile {
        var handle: Int64
        var path: String
        var listed = false
    }

    /// Open fds by (fd table, fd); dup'd and inherited fds share a handle (one open file
    /// description: one position, closed when its last fd is).
    var files: [UInt64: OpenFile] = [:]
    /// Per handle: the file position and how many fds refer to it.
    var positions: [Int64: UInt64] = [:]
    var references: [Int64: Int] = [:]
    /// A pid's fd table when it is not its own (threads and CLONE_FILES children share one).
    var tables: [Int32: Int32] = [:]
    /// Pids using each shared table besides its owner.
    var tableUsers: [Int32: Int] = [:]
    private var pending: [Int32: [UInt8]] = [:]
    var nextHandle: Int64 = 1
    /// File mappings by address space (the fd table's key: threads share both), for madvise.
    var mappings: [Int32: [MappedRange]] = [:]
    struct MappedRange { var address: UInt64; var length: UInt64; var handle: Int64; var offset: UInt64 }
    /// Reads plain read/close/openat calls and `-tt` clocks in place (`plainCall`); off, every
    /// line takes the general path (tests compare the two).
    var readsPlainCallsInPlace = true
    private var lastClock: Double?
    private var dayOffset: Double = 0

    public init() {}

    @inline(__always) func key(_ pid: Int32, _ fd: Int64) -> UInt64 {
        UInt64(UInt32(bitPattern: tables[pid] ?? pid)) << 32 | UInt64(UInt32(truncatingIfNeeded: fd))
    }

    // MARK: Line structure

    static func looksLikeStrace(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if hasPrefix(p, at: 0, "[pid ") {
            guard let close = p[0...].firstIndex(of: UInt8(ascii: "]")) else { return false }
            i = close + 1
        }
        // Up to two leading tokens of digits/'.'/':' (pid, timestamp), then a call or marker.
        for _ in 0..<3 {
            while i < p.count, p[i] == 32 { i += 1 }
            guard i < p.count else { return false }
            if hasPrefix(p, at: i, "+++ ") || hasPrefix(p, at: i, "--- ") || hasPrefix(p, at: i, "<... ") { return true }
            if isDigit(p[i]) {
                while i < p.count, isDigit(p[i]) || p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ":") { i += 1 }
                continue
            }
            var j = i
            while j < p.count, p[j] == UInt8(ascii: "_") || isDigit(p[j]) || (p[j] | 0x20) &- 97 < 26 { j += 1 }
            return j > i && j < p.count && p[j] == UInt8(ascii: "(")
        }
        return false
    }

    public mutating func parse(bytes p: UnsafeBufferPointer<UInt8>, number: Int, into sink: inout TraceSink) {
        var i = 0
        while i < p.count, isSpace(p[i]) { i += 1 }
        if i == p.count { sink.ignored(); return }
        if hasPrefix(p, at: i, "strace: ") || hasPrefix(p, at: i, "[ ") { sink.ignored(); return }

        var pid: Int32? = nil
        var time: Double? = nil
        if hasPrefix(p, at: i, "[pid ") {
            var j = i + 5
            while j < p.count, p[j] == 32 { j += 1 }
            let s = j
            while j < p.count, isDigit(p[j]) { j += 1 }
            guard j < p.count, p[j] == UInt8(ascii: "]"), case .value(let v) = parseDecimal(p, s..<j), v <= UInt64(Int32.max) else {
                sink.error(number, "malformed [pid N] prefix", p)
                return
            }
            pid = Int32(v)
            i = j + 1
        }
        // Leading numeric tokens: pid (digits only, first) and timestamp.
        while true {
            while i < p.count, p[i] == 32 { i += 1 }
            guard i < p.count, isDigit(p[i]) else { break }
            if readsPlainCallsInPlace, pid != nil, time == nil, let t = clockTimestamp(p, at: i) {
                time = t
                i += 15
                continue
            }
            var j = i
            var colons = 0, dots = 0
            while j < p.count, !isSpace(p[j]) {
                if p[j] == UInt8(ascii: ":") { colons += 1 } else if p[j] == UInt8(ascii: ".") { dots += 1 } else if !isDigit(p[j]) { break }
                j += 1
            }
            guard j < p.count, isSpace(p[j]) else {
                sink.error(number, "unrecognised line", p)
                return
            }
            if colons == 0 && dots == 0 && pid == nil && time == nil {
                guard case .value(let v) = parseDecimal(p, i..<j), v <= UInt64(Int32.max) else {
                    sink.error(number, "pid out of range", p)
                    return
                }
                pid = Int32(v)
            } else if time == nil {
                guard let t = parseTimestamp(p, i..<j, colons: colons) else {
                    sink.error(number, "malformed timestamp", p)
                    return
                }
                time = t
            } else {
                sink.error(number, "unrecognised line", p)
                return
            }
            i = j
        }
        guard i < p.count else { sink.error(number, "truncated line", p); return }
        let pidKey = pid ?? 0

        if hasPrefix(p, at: i, "+++ ") {
            // Process exit: its fd table and any half-finished call go away.
            if hasPrefix(p, at: i, "+++ exited") || hasPrefix(p, at: i, "+++ killed") {
                pending[pidKey] = nil
                exited(pidKey, number: number, into: &sink)
            }
            sink.ignored()
            return
        }
        if hasPrefix(p, at: i, "--- ") { sink.ignored(); return }

        // Unfinished half: remember the text before the marker.
        var end = p.count
        while end > i, isSpace(p[end - 1]) { end -= 1 }
        let marker: StaticString = "<unfinished ...>"
        if end - i >= marker.utf8CodeUnitCount, hasPrefix(p, at: end - marker.utf8CodeUnitCount, marker) {
            var e = end - marker.utf8CodeUnitCount
            if e > i, p[e - 1] == 32 { e -= 1 }
            if pending[pidKey] != nil {
                sink.warning(number, "previous unfinished call of this pid was never resumed", p)
            }
            pending[pidKey] = Array(p[i..<e])
            sink.ignored()
            return
        }

        if hasPrefix(p, at: i, "<... ") {
            guard let gt = p[i...].firstIndex(of: UInt8(ascii: ">")) else {
                sink.error(number, "malformed resumed line", p)
                return
            }
            guard var head = pending.removeValue(forKey: pidKey) else {
                sink.warning(number, "resumed call without a matching unfinished line; skipped", p)
                return
            }
            // Check the syscall name matches: "<... NAME resumed>".
            var n = i + 5
            while n < gt, p[n] != 32 { n += 1 }
            let name = i + 5..<n
            if !head.starts(with: p[name]) || head.count <= name.count || head[name.count] != UInt8(ascii: "(") {
                sink.warning(number, "resumed call does not match the unfinished one; skipped", p)
                return
            }
            head.append(contentsOf: p[(gt + 1)..<end])
            head.withUnsafeBufferPointer { call($0, line: p, number: number, pid: pid, time: time, into: &sink) }
            return
        }
        call(UnsafeBufferPointer(rebasing: p[i..<end]), line: p, number: number, pid: pid, time: time, into: &sink)
    }

    public mutating func finish(into sink: inout TraceSink) {
        // Calls left unfinished at the end (killed processes) carry no result: drop them.
        pending.removeAll()
    }

    private mutating func parseTimestamp(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, colons: Int) -> Double? {
        if colons == 0 { return parseSeconds(p, r) }
        guard colons == 2 else { return nil }
        // HH:MM:SS[.frac]: the two colons split it (no array: this runs once per line).
        var first = -1, second = -1
        for j in r where p[j] == UInt8(ascii: ":") { if first < 0 { first = j } else { second = j } }
        guard case .value(let h) = parseDecimal(p, r.lowerBound..<first), case .value(let m) = parseDecimal(p, (first + 1)..<second),
              let sec = parseSeconds(p, (second + 1)..<r.upperBound), h < 24, m < 60, sec < 61 else { return nil }
        return dayTime(Double(h * 3600 + m * 60) + sec)
    }

    /// A `-tt` clock reading (seconds since midnight) as seconds since the first day's midnight.
    private mutating func dayTime(_ clock: Double) -> Double {
        if let last = lastClock, clock < last - 43200 { dayOffset += 86400 }
        lastClock = clock
        return clock + dayOffset
    }

    /// `HH:MM:SS.uuuuuu` followed by a space at `i` (strace -tt), read in place; nil for any other
    /// shape (the general path then reads or rejects it). Same value as `parseTimestamp`.
    private mutating func clockTimestamp(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Double? {
        guard i + 15 < p.count, p[i + 2] == UInt8(ascii: ":"), p[i + 5] == UInt8(ascii: ":"), p[i + 8] == UInt8(ascii: "."),
              p[i + 15] == 32 else { return nil }
        @inline(__always) func two(_ k: Int) -> UInt64? {
            let a = p[k] &- 48, b = p[k + 1] &- 48
            return a < 10 && b < 10 ? UInt64(a) * 10 + UInt64(b) : nil
        }
        guard let h = two(i), let m = two(i + 3), let s = two(i + 6), h < 24, m < 60, s < 61 else { return nil }
        var micros: Double = 0
        for k in (i + 9)..<(i + 15) {
            let d = p[k] &- 48
            guard d < 10 else { return nil }
            micros = micros * 10 + Double(d)
        }
        return dayTime(Double(h * 3600 + m * 60) + (Double(s) + micros / 1_000_000))
    }

    // MARK: Calls

    /// Splits `name(args) = ret ...` into pieces. Returns nil (with a message) if malformed.
    struct Call {
        var name: Range<Int>
        var args: [Range<Int>]
        var ret: Range<Int>
    }

    func split(_ p: UnsafeBufferPointer<UInt8>) -> Result<Call, JSONFailure> {
        var i = 0
        while i < p.count, p[i] == UInt8(ascii: "_") || isDigit(p[i]) || (p[i] | 0x20) &- 97 < 26 { i += 1 }
        guard i > 0, i < p.count, p[i] == UInt8(ascii: "(") else { return .failure(JSONFailure("not a system call line")) }
        let name = 0..<i
        i += 1
        var args: [Range<Int>] = []
        args.reserveCapacity(6)
        var argStart = i
        var depth = 0
        var closed = false
        scan: while i < p.count {
            let b = p[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                while i < p.count, p[i] != UInt8(ascii: "\"") {
                    i += p[i] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard i < p.count else { return .failure(JSONFailure("unterminated string")) }
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth < 0 { return .failure(JSONFailure("unbalanced brackets")) }
            case UInt8(ascii: ")"):
                if depth == 0 {
                    if i > argStart || !args.isEmpty { args.append(argStart..<i) }
                    closed = true
                    i += 1
                    break scan
                }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 {
                    args.append(argStart..<i)
                    argStart = i + 1
                }
            default: break
            }
            i += 1
        }
        guard closed else { return .failure(JSONFailure("truncated system call (no closing parenthesis)")) }
        while i < p.count, p[i] == 32 { i += 1 }
        guard i < p.count, p[i] == UInt8(ascii: "=") else { return .failure(JSONFailure("missing return value")) }
        i += 1
        while i < p.count, p[i] == 32 { i += 1 }
        let rs = i
        while i < p.count, p[i] != 32 { i += 1 }
        guard i > rs else { return .failure(JSONFailure("missing return value")) }
        // Trim each argument (in place: no second array per line).
        for k in args.indices {
            var lo = args[k].lowerBound, hi = args[k].upperBound
            while lo < hi, p[lo] == 32 { lo += 1 }
            while hi > lo, p[hi - 1] == 32 { hi -= 1 }
            args[k] = lo..<hi
        }
        return .success(Call(name: name, args: args, ret: rs..<i))
    }

    private enum Syscall { case open, openat, read, pread, mmap, mmap2, close, lseek, getdents, execve, execveat, other }

    private func classify(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Syscall {
        if bytesEqual(p, r, "read") { return .read }
        if bytesEqual(p, r, "openat") || bytesEqual(p, r, "openat2") { return .openat }
        if bytesEqual(p, r, "mmap") { return .mmap }
        if bytesEqual(p, r, "close") { return .close }
        if bytesEqual(p, r, "pread64") || bytesEqual(p, r, "pread") { return .pread }
        if bytesEqual(p, r, "open") { return .open }
        if bytesEqual(p, r, "mmap2") { return .mmap2 }
        if bytesEqual(p, r, "lseek") { return .lseek }
        if bytesEqual(p, r, "getdents64") || bytesEqual(p, r, "getdents") { return .getdents }
        if bytesEqual(p, r, "execve") { return .execve }
        if bytesEqual(p, r, "execveat") { return .execveat }
        return .other
    }

    /// An fd argument: `3`, `-1`, `AT_FDCWD`, or `-y` style `3</path>`.
    enum FD { case fd(Int64, annotation: Range<Int>?), cwd(annotation: Range<Int>?), none }

    func fdArg(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> FD? {
        if hasPrefix(p, at: r.lowerBound, "AT_FDCWD") {
            let a = r.lowerBound + 8
            if a == r.upperBound { return .cwd(annotation: nil) }
            guard p[a] == UInt8(ascii: "<"), p[r.upperBound - 1] == UInt8(ascii: ">") else { return nil }
            return .cwd(annotation: (a + 1)..<(r.upperBound - 1))
        }
        var i = r.lowerBound
        if i < r.upperBound, p[i] == UInt8(ascii: "-") {
            // Negative fds (-1 for anonymous mmap, -100 for AT_FDCWD in raw mode).
            return parseDecimal(p, (i + 1)..<r.upperBound) == .invalid ? nil : FD.none
        }
        while i < r.upperBound, isDigit(p[i]) { i += 1 }
        guard case .value(let v) = parseDecimal(p, r.lowerBound..<i), v <= UInt64(Int32.max) else { return nil }
        if i == r.upperBound { return .fd(Int64(v), annotation: nil) }
        guard p[i] == UInt8(ascii: "<"), p[r.upperBound - 1] == UInt8(ascii: ">") else { return nil }
        return .fd(Int64(v), annotation: (i + 1)..<(r.upperBound - 1))
    }

    /// A quoted C string argument, unescaped. `truncated` is set if strace elided the rest.
    private func stringArg(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, truncated: inout Bool) -> String? {
        guard r.count >= 2, p[r.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var out = [UInt8]()
        var i = r.lowerBound + 1
        while i < r.upperBound {
            let b = p[i]
            if b == UInt8(ascii: "\"") { break }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < r.upperBound else { return nil }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "x"):
                var v: UInt64 = 0, k = 0
                while k < 2, i < r.upperBound, let d = hexValue(p[i]) { v = v << 4 | d; i += 1; k += 1 }
                guard k > 0 else { return nil }
                out.append(UInt8(v))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = UInt32(e - 48), k = 1
                while k < 3, i < r.upperBound, p[i] &- 48 < 8 { v = v * 8 + UInt32(p[i] - 48); i += 1; k += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
            default: out.append(e) // \" \\ and anything else: the character itself
            }
        }
        guard i < r.upperBound else { return nil }
        i += 1
        truncated = hasPrefix(p, at: i, "...")
        return String(decoding: out, as: UTF8.self)
    }

    func numArg(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ what: String) -> Result<UInt64, JSONFailure> {
        if !r.isEmpty, p[r.lowerBound] == UInt8(ascii: "-") { return .failure(JSONFailure("negative \(what)")) }
        switch parseCNumber(p, r) {
        case .value(let v): return .success(v)
        case .overflow: return .failure(JSONFailure("\(what) out of range"))
        case .invalid: return .failure(JSONFailure("malformed \(what)"))
        }
    }

    private mutating func call(_ p: UnsafeBufferPointer<UInt8>, line: UnsafeBufferPointer<UInt8>, number: Int, pid: Int32?, time: Double?, into sink: inout TraceSink) {
        if readsPlainCallsInPlace, plainCall(p, line: line, number: number, pid: pid, time: time, into: &sink) { return }
        let c: Call
        switch split(p) {
        case .success(let v): c = v
        case .failure(let e): sink.error(number, e.message, line); return
        }
        let sys = classify(p, c.name)
        if sys == .other {
            if !descriptorCall(p, c, line: line, number: number, pid: pid, time: time, into: &sink) { sink.unhandled(string(p, c.name)) }
            return
        }
        // Return value: '?' (no result), negative (failed), or a number, maybe annotated.
        let r0 = c.ret.lowerBound
        if p[r0] == UInt8(ascii: "?") || p[r0] == UInt8(ascii: "-") { sink.ignored(); return }
        var rEnd = r0
        if hasPrefix(p, at: r0, "0x") || hasPrefix(p, at: r0, "0X") { rEnd += 2 }
        while rEnd < c.ret.upperBound, hexValue(p[rEnd]) != nil { rEnd += 1 }
        if rEnd < c.ret.upperBound, p[rEnd] != UInt8(ascii: "<") {
            sink.error(number, "malformed return value", line)
            return
        }
        let ret: UInt64
        switch sys == .mmap || sys == .mmap2 ? parseCNumber(p, r0..<rEnd) : parseDecimal(p, r0..<rEnd) {
        case .value(let v): ret = v
        case .overflow: sink.error(number, "return value out of range", line); return
        case .invalid: sink.error(number, "malformed return value", line); return
        }
        let pidKey = pid ?? 0
        func fail(_ m: String) { sink.error(number, m, line) }
        func needArgs(_ n: Int) -> Bool {
            if c.args.count >= n { return true }
            fail("\(string(p, c.name)) needs \(n) arguments")
            return false
        }
        func emit(_ k: TraceEvent.Kind) { sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: k)) }

        switch sys {
        case .open, .openat:
            let pathArg = sys == .open ? 0 : 1
            guard needArgs(pathArg + 1) else { return }
            var truncated = false
            guard let path = stringArg(p, c.args[pathArg], truncated: &truncated) else { return fail("malformed path argument") }
            guard ret <= UInt64(Int32.max) else { return fail("fd out of range") }
            var full = path
            if sys == .openat, !path.hasPrefix("/") {
                switch fdArg(p, c.args[0]) {
                case .fd(let dfd, let ann)?:
                    if let ann { full = join(string(p, ann), path) } else if let dir = files[key(pidKey, dfd)] { full = join(dir.path, path) }
                case .cwd(let ann)?:
                    if let ann { full = join(string(p, ann), path) }
                case .none?: break
                case nil: return fail("malformed directory fd")
                }
            }
            if truncated { sink.warning(number, "path truncated by strace; kept as printed", line) }
            opened(full, fd: Int64(ret), number: number, pid: pid, time: time, into: &sink)
        case .read, .pread:
            guard needArgs(sys == .read ? 3 : 4) else { return }
            guard case .fd(let fd, _)? = fdArg(p, c.args[0]) else {
                if fdArg(p, c.args[0]) == nil { fail("malformed fd") } else { sink.ignored() }
                return
            }
            var off: UInt64 = 0
            if sys == .pread {
                switch numArg(p, c.args[3], "offset") {
                case .success(let v): off = v
                case .failure(let e): return fail(e.message)
                }
            }
            transferred(ret, fd: fd, at: sys == .read ? nil : off, line: line, number: number, pid: pid, time: time, into: &sink)
        case .mmap, .mmap2:
            guard needArgs(6) else { return }
            guard let fdv = fdArg(p, c.args[4]) else { return fail("malformed fd") }
            var len: UInt64
            switch numArg(p, c.args[1], "length") {
            case .success(let v): len = v
            case .failure(let e): return fail(e.message)
            }
            var off: UInt64
            switch numArg(p, c.args[5], "offset") {
            case .success(let v): off = v
            case .failure(let e): return fail(e.message)
            }
            if sys == .mmap2 {
                guard off <= TraceLimits.maxOffset >> TraceLimits.pageShift else { return fail("offset out of range") }
                off <<= TraceLimits.pageShift
            }
            guard case .fd(let fd, _) = fdv, let f = files[key(pidKey, fd)] else { sink.ignored(); return }
            var clamped = false
            if let e = checkRange(offset: off, length: &len, clamped: &clamped) { return fail(e) }
            if clamped { sink.warning(number, "length clamped to the 1 TiB limit", line) }
            emit(.mmap(handle: f.handle, offset: off, length: len, address: ret))
            mapped(pidKey, address: ret, length: len, handle: f.handle, offset: off)
            if string(p, c.args[3]).contains("MAP_POPULATE") { populate(f.handle, offset: off, length: len, number: number, time: time, pid: pid, line: line, into: &sink) }
        case .close:
            guard needArgs(1) else { return }
            guard let fdv = fdArg(p, c.args[0]) else { return fail("malformed fd") }
            guard case .fd(let fd, _) = fdv, files[key(pidKey, fd)] != nil else { sink.ignored(); return }
            closeFD(key(pidKey, fd), number: number, time: time, pid: pid, into: &sink)
        case .lseek:
            guard needArgs(3) else { return }
            guard let fdv = fdArg(p, c.args[0]) else { return fail("malformed fd") }
            guard ret <= TraceLimits.maxOffset else { return fail("offset out of range") }
            if case .fd(let fd, _) = fdv, let f = files[key(pidKey, fd)] { positions[f.handle] = ret }
            sink.ignored()
        case .getdents:
            guard needArgs(1) else { return }
            guard let fdv = fdArg(p, c.args[0]) else { return fail("malformed fd") }
            guard ret > 0, case .fd(let fd, _) = fdv, let f = files[key(pidKey, fd)], !f.listed else { sink.ignored(); return }
            files[key(pidKey, fd)]!.listed = true
            emit(.dirRead(.path(f.path)))
        case .execve, .execveat:
            // The kernel opens the program, reads its first 256 bytes (BINPRM_BUF_SIZE) and
            // maps it whole, with no open/read/mmap lines: the mapping's length is "to EOF"
            // (TraceLimits.maxLength; replays clip it to the file's size).
            let pathArg = sys == .execve ? 0 : 1
            guard needArgs(pathArg + 1), ret == 0 else { sink.ignored(); return }
            var truncated = false
            guard let path = stringArg(p, c.args[pathArg], truncated: &truncated) else { return fail("malformed path argument") }
            var full = path
            if sys == .execveat, !path.hasPrefix("/"), case .fd(let dfd, let ann)? = fdArg(p, c.args[0]) {
                if let ann { full = join(string(p, ann), path) } else if let dir = files[key(pidKey, dfd)] { full = join(dir.path, path) }
            }
            let h = nextHandle
            nextHandle += 1
            emit(.open(file: .path(full), handle: h))
            emit(.read(handle: h, offset: 0, length: 256))
            emit(.mmap(handle: h, offset: 0, length: TraceLimits.maxLength, address: nil))
        case .other:
            sink.ignored()
        }
    }

    /// A successful open of `path` as `fd`: a fresh handle (closing what strace missed closing).
    mutating func opened(_ path: String, fd: Int64, number: Int, pid: Int32?, time: Double?, into sink: inout TraceSink) {
        let pidKey = pid ?? 0
        let h = nextHandle
        nextHandle += 1
        closeFD(key(pidKey, fd), number: number, time: time, pid: pid, into: &sink) // a close strace missed
        files[key(pidKey, fd)] = OpenFile(handle: h, path: path)
        positions[h] = 0
        references[h] = 1
        sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: .open(file: .path(path), handle: h)))
    }

    /// A read (`offset` nil: at the fd's position, which advances) or pread that returned `count`.
    mutating func transferred(_ count: UInt64, fd: Int64, at offset: UInt64?, line: UnsafeBufferPointer<UInt8>, number: Int,
                              pid: Int32?, time: Double?, into sink: inout TraceSink) {
        guard count > 0, let f = files[key(pid ?? 0, fd)] else { sink.ignored(); return }
        let off = offset ?? positions[f.handle] ?? 0
        var len = count
        var clamped = false
        if let e = checkRange(offset: off, length: &len, clamped: &clamped) { sink.error(number, e, line); return }
        if clamped { sink.warning(number, "length clamped to the 1 TiB limit", line) }
        if offset == nil {
            positions[f.handle] = off + len
            sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: .read(handle: f.handle, offset: off, length: len)))
        } else {
            sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: .pread(handle: f.handle, offset: off, length: len)))
        }
    }

    private func join(_ dir: String, _ rel: String) -> String {
        if rel == "." || rel.isEmpty { return dir }
        return dir.hasSuffix("/") ? dir + rel : dir + "/" + rel
    }
}
