/// fd tables across processes (dup, fork, clone, close_range, exit) and the other ways a
/// process reads a file (vectored reads, sendfile, splice, copy_file_range, readahead(2),
/// POSIX_FADV_WILLNEED).
///
/// - `dup`/`dup2`/`dup3`/`fcntl(F_DUPFD*)`: the new fd shares the handle (and its position).
/// - `fork`/`vfork`/`clone`/`clone3` without CLONE_FILES: the child gets a copy of the parent's
///   fd table (same handles); with CLONE_FILES (threads) it shares the parent's table. A child's
///   lines printed before the parent's `clone` returns use an empty table.
/// - `readv`, `preadv`, `preadv2` read like `read`/`pread64` (preadv2 with offset -1 reads at
///   the position); `sendfile`, `splice` and `copy_file_range` read their source fd (at the
///   given offset, or at and advancing the position when it is NULL).
/// - `readahead(fd, off, count)` and `fadvise64(fd, off, len, POSIX_FADV_WILLNEED)` are
///   replayed as a `pread` of the range: they bring it in without a process reading it (an
///   approximation: the model's read path may add its readahead window).
/// - `mmap` with MAP_POPULATE faults every page of the mapping (up to 256 Ki pages; a
///   `fault` event each); `madvise(MADV_WILLNEED)` of a file mapping reads its range like
///   readahead(2); `munmap` forgets the addresses. Other `fadvise64` and `madvise` advice
///   (MADV_RANDOM, MADV_SEQUENTIAL, ...) are not modelled; like every system call not
///   understood they are counted by name (with the advice) in the trace summary.
extension StraceParser {
    /// Drops the fd at `k`; the handle's `close` is emitted when its last fd goes.
    mutating func closeFD(_ k: UInt64, number: Int, time: Double?, pid: Int32?, into sink: inout TraceSink) {
        guard let f = files.removeValue(forKey: k) else { return }
        let left = (references[f.handle] ?? 1) - 1
        if left > 0 { references[f.handle] = left; return }
        references[f.handle] = nil
        positions[f.handle] = nil
        sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: .close(handle: f.handle)))
    }

    /// Remembers a file mapping's addresses (replacing what it overlays, as MAP_FIXED does).
    mutating func mapped(_ pid: Int32, address: UInt64, length: UInt64, handle: Int64, offset: UInt64) {
        let t = tables[pid] ?? pid
        unmap(t, address: address, length: length)
        mappings[t, default: []].append(MappedRange(address: address, length: length, handle: handle, offset: offset))
        if mappings[t]!.count > 65536 { mappings[t]!.removeFirst(mappings[t]!.count - 65536) }
    }

    mutating func unmap(_ table: Int32, address: UInt64, length: UInt64) {
        guard var list = mappings[table] else { return }
        let end = address.addingReportingOverflow(length).overflow ? UInt64.max : address + length
        list.removeAll { $0.address >= address && $0.address < end }
        mappings[table] = list
    }

    /// MAP_POPULATE: the kernel faults every page in at mmap time.
    mutating func populate(_ handle: Int64, offset: UInt64, length: UInt64, number: Int, time: Double?, pid: Int32?,
                           line: UnsafeBufferPointer<UInt8>, into sink: inout TraceSink) {
        let first = offset / TraceLimits.pageSize
        let count = (length + TraceLimits.pageSize - 1) / TraceLimits.pageSize
        if count > 1 << 18 { sink.warning(number, "MAP_POPULATE of more than 256 Ki pages: only the first are faulted", line) }
        for p in first..<(first + Swift.min(count, 1 << 18)) {
            sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: .fault(.handle(handle), page: p)))
        }
    }

    /// A process exited: a shared table loses a user; a table nobody else uses closes its fds.
    mutating func exited(_ pid: Int32, number: Int, into sink: inout TraceSink) {
        if let t = tables.removeValue(forKey: pid) {
            tableUsers[t, default: 1] -= 1
            if tableUsers[t]! <= 0 { tableUsers[t] = nil }
            return
        }
        if (tableUsers[pid] ?? 0) > 0 { return } // threads still use the leader's table
        let table = UInt32(bitPattern: pid)
        for k in files.keys.filter({ UInt32($0 >> 32) == table }).sorted() {
            closeFD(k, number: number, time: nil, pid: pid, into: &sink)
        }
    }

    /// Handles the calls this extension knows; false for anything else.
    mutating func descriptorCall(_ p: UnsafeBufferPointer<UInt8>, _ c: Call, line: UnsafeBufferPointer<UInt8>, number: Int,
                                 pid: Int32?, time: Double?, into sink: inout TraceSink) -> Bool {
        let name = c.name
        let known: [StaticString] = ["dup", "dup2", "dup3", "fcntl", "fcntl64", "clone", "clone3", "fork", "vfork", "close_range",
                                     "readv", "preadv", "preadv2", "sendfile", "sendfile64", "splice", "copy_file_range",
                                     "readahead", "fadvise64", "fadvise64_64", "madvise", "munmap"]
        guard let which = known.first(where: { bytesEqual(p, name, $0) }) else { return false }
        let n = "\(which)"
        let pidKey = pid ?? 0
        let before = sink.summary.events
        // The return value: a decimal, maybe with a -y annotation; anything else is a failure.
        let r0 = c.ret.lowerBound
        var rEnd = r0
        while rEnd < c.ret.upperBound, isDigit(p[rEnd]) { rEnd += 1 }
        guard rEnd > r0, case .value(let ret) = parseDecimal(p, r0..<rEnd) else { sink.ignored(); return true }
        func emit(_ k: TraceEvent.Kind) { sink.emit(TraceEvent(time: time, container: nil, pid: pid, line: number, kind: k)) }
        func fd(_ i: Int) -> Int64? {
            guard i < c.args.count, case .fd(let v, _)? = fdArg(p, c.args[i]) else { return nil }
            return v
        }
        func arg(_ i: Int) -> String { i < c.args.count ? string(p, c.args[i]) : "" }
        /// `[123]`, `[123] => [456]` (an in/out offset): the value before the call; nil for NULL.
        func offsetArg(_ i: Int) -> UInt64? {
            guard i < c.args.count else { return nil }
            let r = c.args[i]
            guard r.count > 1, p[r.lowerBound] == UInt8(ascii: "[") else { return nil }
            var e = r.lowerBound + 1
            while e < r.upperBound, isDigit(p[e]) { e += 1 }
            guard case .value(let v) = parseDecimal(p, (r.lowerBound + 1)..<e) else { return nil }
            return v
        }
        func duplicate(_ old: Int64, to new: UInt64) {
            guard new <= UInt64(Int32.max), let f = files[key(pidKey, old)] else { return }
            let k = key(pidKey, Int64(new))
            if files[k]?.handle == f.handle { return }
            closeFD(k, number: number, time: time, pid: pid, into: &sink)
            files[k] = f
            references[f.handle, default: 0] += 1
        }
        func read(_ fdIndex: Int, at offset: UInt64?, _ length: UInt64) {
            guard length > 0, let v = fd(fdIndex), let f = files[key(pidKey, v)] else { return }
            var len = length
            var clamped = false
            let off = offset ?? positions[f.handle] ?? 0
            if let e = checkRange(offset: off, length: &len, clamped: &clamped) { sink.error(number, e, line); return }
            if offset == nil {
                positions[f.handle] = off + len
                emit(.read(handle: f.handle, offset: off, length: len))
            } else {
                emit(.pread(handle: f.handle, offset: off, length: len))
            }
        }
        switch n {
        case "dup":
            if let old = fd(0) { duplicate(old, to: ret) }
        case "dup2", "dup3":
            if let old = fd(0) { duplicate(old, to: ret) }
        case "fcntl", "fcntl64":
            if arg(1).hasPrefix("F_DUPFD"), let old = fd(0) { duplicate(old, to: ret) }
        case "fork", "vfork", "clone", "clone3":
            guard ret > 0, ret <= UInt64(Int32.max) else { break }
            let child = Int32(ret)
            let flags = n == "clone3" ? arg(0) : c.args.map { string(p, $0) }.first { $0.hasPrefix("flags=") } ?? ""
            if flags.contains("CLONE_FILES") {
                let t = tables[pidKey] ?? pidKey
                tables[child] = t
                tableUsers[t, default: 0] += 1
            } else {
                let parent = UInt32(bitPattern: tables[pidKey] ?? pidKey)
                for (k, f) in files where UInt32(k >> 32) == parent {
                    let ck = key(child, Int64(k & 0xffff_ffff))
                    guard files[ck] == nil else { continue }
                    files[ck] = f
                    references[f.handle, default: 0] += 1
                }
            }
        case "close_range":
            guard c.args.count >= 3, !arg(2).contains("CLOSE_RANGE_CLOEXEC"),
                  case .value(let lo) = parseCNumber(p, c.args[0]) else { break }
            let hi: UInt64
            switch parseCNumber(p, c.args[1]) {
            case .value(let v): hi = v
            default: hi = UInt64(UInt32.max) // ~0U
            }
            let table = UInt32(bitPattern: tables[pidKey] ?? pidKey)
            for k in files.keys.filter({ UInt32($0 >> 32) == table && ($0 & 0xffff_ffff) >= lo && ($0 & 0xffff_ffff) <= hi }).sorted() {
                closeFD(k, number: number, time: time, pid: pid, into: &sink)
            }
        case "readv":
            read(0, at: nil, ret)
        case "preadv", "preadv2":
            if c.args.count > 3, string(p, c.args[3]) == "-1" { read(0, at: nil, ret); break }
            guard c.args.count > 3, case .success(let off) = numArg(p, c.args[3], "offset") else { sink.error(number, "malformed offset", line); break }
            read(0, at: off, ret)
        case "sendfile", "sendfile64":
            read(1, at: offsetArg(2), ret)
        case "splice", "copy_file_range":
            read(0, at: offsetArg(1), ret)
        case "readahead":
            guard c.args.count >= 3, case .success(let off) = numArg(p, c.args[1], "offset"),
                  case .success(let len) = numArg(p, c.args[2], "count") else { break }
            read(0, at: off, len)
        case "fadvise64", "fadvise64_64":
            guard c.args.count >= 4, arg(3) == "POSIX_FADV_WILLNEED", case .success(let off) = numArg(p, c.args[1], "offset"),
                  case .success(let len) = numArg(p, c.args[2], "length") else { sink.unhandled(n + "(" + arg(3) + ")"); return true }
            read(0, at: off, len)
        case "munmap":
            guard c.args.count >= 2, case .value(let a) = parseCNumber(p, c.args[0]), case .value(let l) = parseCNumber(p, c.args[1]) else { break }
            unmap(tables[pidKey] ?? pidKey, address: a, length: l)
        case "madvise":
            guard c.args.count >= 3, case .value(let a) = parseCNumber(p, c.args[0]), case .value(let l) = parseCNumber(p, c.args[1]) else { break }
            let advice = arg(2)
            guard advice == "MADV_WILLNEED" else { sink.unhandled(n + "(" + advice + ")"); return true }
            guard let m = mappings[tables[pidKey] ?? pidKey]?.last(where: { a >= $0.address && a - $0.address < $0.length }) else { break }
            let off = m.offset + (a - m.address)
            var len = Swift.min(l, m.length - (a - m.address))
            var clamped = false
            if checkRange(offset: off, length: &len, clamped: &clamped) == nil, len > 0 {
                emit(.pread(handle: m.handle, offset: off, length: len))
            }
        default:
            return false
        }
        if sink.summary.events == before { sink.ignored() }
        return true
    }
}
