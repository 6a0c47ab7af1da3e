/// A replay's steps, time-ordered, in 32 bytes each: the one copy of the workload a session
/// holds, indexable for seeking (`steps[i]`) and iterable like an array of `ReplayStep`.
///
/// Files are interned (each `SessionFile` stored once, steps name it by a 32-bit id), notes
/// likewise; handles are the session's own (counted from 1), so they fit 32 bits.
public struct ReplaySteps: RandomAccessCollection, Sendable, Equatable {
    /// One step, packed. `a` and `b` carry the action's numbers (offset/first/page and
    /// length/last/count), `ref` its handle, interned file or note.
    struct Record: Sendable, Equatable {
        var time: Double
        var a: UInt64
        var b: UInt64
        var ref: UInt32
        var container: UInt16
        var kind: Kind
        /// For `read` and `open`: bit 0 set when `read` has no offset; for `open`, bits above
        /// are unused (the handle is in `a`).
        var flags: UInt8
    }

    enum Kind: UInt8, Sendable {
        case open, read, pread, mmap, close, getPages, fault, mapPages, pageAdd, pageDelete, readDirectory, note
    }

    private(set) var records: [Record] = []
    private var files: [SessionFile] = []
    private var fileIDs: [SessionFile: UInt32] = [:]
    private var notes: [String] = []

    public init() {}

    /// Steps in the given order (tests, built-in plans).
    public init<S: Sequence>(_ steps: S) where S.Element == ReplayStep {
        for s in steps { append(s) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(position: Int) -> ReplayStep {
        let r = records[position]
        return ReplayStep(time: r.time, container: Int(r.container), action: action(of: r))
    }

    /// The time of step `position`, without decoding its action.
    public func time(at position: Int) -> Double { records[position].time }

    /// Reserves room for `count` more steps.
    public mutating func reserve(_ count: Int) { records.reserveCapacity(records.count + count) }

    public mutating func append(_ step: ReplayStep) {
        append(time: step.time, container: step.container, step.action)
    }

    public mutating func append(time: Double, container: Int, _ action: ReplayAction) {
        var r = Record(time: time, a: 0, b: 0, ref: 0, container: UInt16(truncatingIfNeeded: container), kind: .note, flags: 0)
        switch action {
        case .open(let f, let h):
            r.kind = .open; r.ref = intern(f); r.a = UInt64(bitPattern: h)
        case .read(let h, let offset, let length):
            r.kind = .read; r.ref = Self.handle(h); r.a = offset ?? 0; r.b = length; r.flags = offset == nil ? 1 : 0
        case .pread(let h, let offset, let length):
            r.kind = .pread; r.ref = Self.handle(h); r.a = offset; r.b = length
        case .mmap(let h, let offset, let length):
            r.kind = .mmap; r.ref = Self.handle(h); r.a = offset; r.b = length
        case .close(let h):
            r.kind = .close; r.ref = Self.handle(h)
        case .getPages(let f, let first, let last):
            r.kind = .getPages; r.ref = intern(f); r.a = first; r.b = last
        case .fault(let f, let page):
            r.kind = .fault; r.ref = intern(f); r.a = page
        case .mapPages(let f, let first, let last):
            r.kind = .mapPages; r.ref = intern(f); r.a = first; r.b = last
        case .pageAdd(let f, let page, let count):
            r.kind = .pageAdd; r.ref = intern(f); r.a = page; r.b = count
        case .pageDelete(let f, let page, let count):
            r.kind = .pageDelete; r.ref = intern(f); r.a = page; r.b = count
        case .readDirectory(let f):
            r.kind = .readDirectory; r.ref = intern(f)
        case .note(let text):
            r.kind = .note; r.ref = UInt32(notes.count); notes.append(text)
        }
        records.append(r)
    }

    /// Session handles count up from 1, one per open: 32 bits hold any trace that fits on a disk.
    private static func handle(_ h: Int64) -> UInt32 {
        guard let v = UInt32(exactly: h) else { preconditionFailure("session handle \(h) does not fit the step store") }
        return v
    }

    private mutating func intern(_ f: SessionFile) -> UInt32 {
        if let id = fileIDs[f] { return id }
        let id = UInt32(files.count)
        files.append(f)
        fileIDs[f] = id
        return id
    }

    private func action(of r: Record) -> ReplayAction {
        switch r.kind {
        case .open: return .open(files[Int(r.ref)], handle: Int64(bitPattern: r.a))
        case .read: return .read(handle: Int64(r.ref), offset: r.flags & 1 != 0 ? nil : r.a, length: r.b)
        case .pread: return .pread(handle: Int64(r.ref), offset: r.a, length: r.b)
        case .mmap: return .mmap(handle: Int64(r.ref), offset: r.a, length: r.b)
        case .close: return .close(handle: Int64(r.ref))
        case .getPages: return .getPages(files[Int(r.ref)], first: r.a, last: r.b)
        case .fault: return .fault(files[Int(r.ref)], page: r.a)
        case .mapPages: return .mapPages(files[Int(r.ref)], first: r.a, last: r.b)
        case .pageAdd: return .pageAdd(files[Int(r.ref)], page: r.a, count: r.b)
        case .pageDelete: return .pageDelete(files[Int(r.ref)], page: r.a, count: r.b)
        case .readDirectory: return .readDirectory(files[Int(r.ref)])
        case .note: return .note(notes[Int(r.ref)])
        }
    }

    /// The files named by fault or map-around steps.
    func faultedFiles() -> Set<SessionFile> {
        var ids = Set<UInt32>()
        for r in records where r.kind == .fault || r.kind == .mapPages { ids.insert(r.ref) }
        return Set(ids.map { files[Int($0)] })
    }

    public static func == (a: ReplaySteps, b: ReplaySteps) -> Bool { a.elementsEqual(b) }

    // MARK: Ordering

    /// Orders the steps by time, ties in their current order (a stable sort), and makes time
    /// start at 0. `runs` are the contiguous pieces appended by each input, in order: each is
    /// sorted on its own (most already are, which costs one pass), then the runs are merged k
    /// ways, so the work is O(n log k) and the memory one index (4 bytes) per step on top of
    /// the steps, which are permuted in place.
    mutating func sortByTime(runs: [Range<Int>]) {
        let n = records.count
        guard n > 0 else { return }
        let runs = runs.filter { !$0.isEmpty }
        // Each run's steps in sorted order, as indexes into `records` (nil: already sorted).
        var sortedRuns: [[Int32]?] = []
        var allSorted = true
        for run in runs {
            var sorted = true
            var i = run.lowerBound + 1
            while i < run.upperBound { if records[i].time < records[i - 1].time { sorted = false; break }; i += 1 }
            if sorted { sortedRuns.append(nil); continue }
            allSorted = false
            var order = run.map { Int32($0) }
            order.sort { records[Int($0)].time != records[Int($1)].time ? records[Int($0)].time < records[Int($1)].time : $0 < $1 }
            sortedRuns.append(order)
        }
        // Already in order when every run is sorted and none starts before the one before ends.
        let inOrder = allSorted && zip(runs, runs.dropFirst()).allSatisfy { records[$1.lowerBound].time >= records[$0.upperBound - 1].time }
        if !inOrder {
            precondition(n <= Int(Int32.max), "too many steps to order")
            var order = Self.mergedOrder(records, runs: runs, sortedRuns: sortedRuns)
            permute(by: &order)
        }
        let origin = records[0].time
        for i in 0..<n { records[i].time -= origin }
    }

    /// The merged order of `runs` (each in its sorted order) as indexes into `records`.
    private static func mergedOrder(_ records: [Record], runs: [Range<Int>], sortedRuns: [[Int32]?]) -> [Int32] {
        var order = [Int32](repeating: 0, count: records.count)
        var merge = KWayMerge(runs: runs.indices.map { k in
            KWayMerge.Run(count: runs[k].count) { j in sortedRuns[k].map { Int($0[j]) } ?? runs[k].lowerBound + j }
        }) { records[$0].time }
        var out = 0
        while let index = merge.next() { order[out] = Int32(index); out += 1 }
        return order
    }

    /// Rearranges `records` so that new position j holds the old `order[j]`, in place
    /// (cycle by cycle; `order` is used up to mark positions done).
    private mutating func permute(by order: inout [Int32]) {
        records.withUnsafeMutableBufferPointer { records in
            for start in 0..<records.count where order[start] >= 0 {
                let saved = records[start]
                var j = start
                while true {
                    let k = Int(order[j])
                    order[j] = -1
                    if k == start { records[j] = saved; break }
                    records[j] = records[k]
                    j = k
                }
            }
        }
    }
}
