/// The file pages the dynamic loader (and the kernel's ELF loader) touch when an ELF object is
/// mapped: what a strace log cannot show, estimated from the object itself.
///
/// Only 64-bit little-endian objects are understood (x86-64, AArch64, RISC-V 64); anything
/// else, and any header that does not check out, gives `nil` and the mapping is treated as
/// data. Every offset read from the file is bounds-checked against the file and the tables
/// are capped, so a garbage file costs a few reads and never traps.
public struct ELFLoadPlan: Sendable, Equatable {
    /// File pages in the order the loader touches them (each at most once).
    public var pages: [UInt64]
    /// PT_INTERP, when the object names one (an executable's dynamic loader).
    public var interpreter: String?
    /// The first file page past the last PT_LOAD segment's file bytes.
    public var loadEndPage: UInt64
    /// e_type == ET_EXEC or a PIE with PT_INTERP.
    public var isExecutable: Bool
    /// File pages of the executable PT_LOAD segments (where code faults land).
    public var codeRanges: [Range<UInt64>] = []
    /// File pages of every PT_LOAD segment.
    public var loadRanges: [Range<UInt64>] = []

    /// Reads an object of `size` bytes through `read(offset, count)` (which may return fewer
    /// bytes, or nil on error).
    public static func make(size: UInt64, pageSize: UInt64 = 4096, read: @escaping (UInt64, Int) -> [UInt8]?) -> ELFLoadPlan? {
        var b = Builder(size: size, pageSize: pageSize, read: read)
        return b.build()
    }

    /// Caps on what is read from one object.
    public enum Limits {
        public static let programHeaders = 256
        public static let dynamicEntries = 4096
        /// Bytes of relocation tables scanned for relocated pages (per table).
        public static let relocationBytes = 64 << 20
        public static let sectionHeaders = 4096
        public static let symbolScanBytes = 16 << 20
    }
}

private struct Segment {
    var type: UInt32
    var offset: UInt64
    var vaddr: UInt64
    var filesz: UInt64
    var memsz: UInt64
    var writable: Bool
    var executable: Bool
}

private struct Builder {
    let size: UInt64
    let pageSize: UInt64
    let read: (UInt64, Int) -> [UInt8]?
    var touched: [UInt64] = []
    var seen: Set<UInt64> = []
    var loads: [Segment] = []

    init(size: UInt64, pageSize: UInt64, read: @escaping (UInt64, Int) -> [UInt8]?) {
        self.size = size; self.pageSize = pageSize; self.read = read
    }

    mutating func touch(page: UInt64) {
        guard page * pageSize < size, seen.insert(page).inserted else { return }
        touched.append(page)
    }

    /// Touches every page of the file range [offset, offset + length).
    mutating func touch(offset: UInt64, length: UInt64) {
        guard length > 0, offset < size else { return }
        let end = Swift.min(size, offset.addingReportingOverflow(length).overflow ? size : offset + length)
        var p = offset / pageSize
        while p * pageSize < end { touch(page: p); p += 1 }
    }

    /// The file offset of virtual address `vaddr` when it lies in a PT_LOAD's file bytes.
    func fileOffset(_ vaddr: UInt64) -> UInt64? {
        for s in loads where vaddr >= s.vaddr && vaddr - s.vaddr < s.filesz {
            let off = s.offset + (vaddr - s.vaddr)
            return off < size ? off : nil
        }
        return nil
    }

    mutating func touch(vaddr: UInt64, length: UInt64 = 1) {
        guard let off = fileOffset(vaddr) else { return }
        touch(offset: off, length: Swift.max(1, length))
    }

    func bytes(_ offset: UInt64, _ count: Int) -> [UInt8]? {
        guard count > 0, offset < size, UInt64(count) <= size - offset, let b = read(offset, count), b.count == count else { return nil }
        return b
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt64 { UInt64(b[at]) | UInt64(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt64 { u16(b, at) | u16(b, at + 2) << 16 }
    static func u64(_ b: [UInt8], _ at: Int) -> UInt64 { u32(b, at) | u32(b, at + 4) << 32 }

    mutating func build() -> ELFLoadPlan? {
        guard let h = bytes(0, 64), h[0] == 0x7f, h[1] == 0x45, h[2] == 0x4c, h[3] == 0x46, h[4] == 2, h[5] == 1 else { return nil }
        let type = Self.u16(h, 16)
        guard type == 2 || type == 3 else { return nil } // ET_EXEC, ET_DYN
        let entry = Self.u64(h, 24)
        let phoff = Self.u64(h, 32), shoff = Self.u64(h, 40)
        let phentsize = Int(Self.u16(h, 54)), phnum = Int(Self.u16(h, 56))
        let shentsize = Int(Self.u16(h, 58)), shnum = Int(Self.u16(h, 60))
        guard phentsize >= 56, phnum > 0, phnum <= ELFLoadPlan.Limits.programHeaders,
              let ph = bytes(phoff, phentsize * phnum) else { return nil }
        // The kernel / ld.so read the ELF header and program headers first.
        touch(page: 0)
        touch(offset: phoff, length: UInt64(phentsize * phnum))
        var segments: [Segment] = []
        for i in 0..<phnum {
            let at = i * phentsize
            let s = Segment(type: UInt32(Self.u32(ph, at)), offset: Self.u64(ph, at + 8), vaddr: Self.u64(ph, at + 16),
                            filesz: Self.u64(ph, at + 32), memsz: Self.u64(ph, at + 40), writable: Self.u32(ph, at + 4) & 2 != 0,
                            executable: Self.u32(ph, at + 4) & 1 != 0)
            segments.append(s)
        }
        loads = segments.filter { $0.type == 1 && $0.offset < size && $0.filesz <= size - $0.offset }
        guard !loads.isEmpty else { return nil }
        var interpreter: String?
        if let s = segments.first(where: { $0.type == 3 }), s.filesz > 1, s.filesz < 4096, let b = bytes(s.offset, Int(s.filesz)) {
            touch(offset: s.offset, length: s.filesz)
            interpreter = String(decoding: b.prefix { $0 != 0 }, as: UTF8.self)
        }
        let loadEnd = loads.map { $0.offset + $0.filesz }.max()!
        // Dynamic section and the tables it points to.
        var dyn: [(tag: UInt64, val: UInt64)] = []
        if let d = segments.first(where: { $0.type == 2 }), d.offset < size {
            let count = Int(Swift.min(d.filesz / 16, UInt64(ELFLoadPlan.Limits.dynamicEntries)))
            touch(offset: d.offset, length: d.filesz)
            if count > 0, let b = bytes(d.offset, count * 16) {
                for i in 0..<count {
                    let tag = Self.u64(b, i * 16)
                    if tag == 0 { break }
                    dyn.append((tag, Self.u64(b, i * 16 + 8)))
                }
            }
        }
        func value(_ tag: UInt64) -> UInt64? { dyn.first { $0.tag == tag }?.val }
        let sections = sectionSizes(shoff: shoff, entsize: shentsize, count: shnum)
        // Symbol and string tables, hashes, versions: the loader looks symbols up in them.
        let symtab = value(6), strtab = value(5)
        if let strtab { touch(vaddr: strtab, length: value(10) ?? 1) }
        if let symtab {
            var symSize = sections[11] // SHT_DYNSYM
            if symSize == nil, let strtab, strtab > symtab { symSize = strtab - symtab }
            touch(vaddr: symtab, length: symSize ?? 24)
        }
        if let hash = value(4) { touch(vaddr: hash, length: sections[5] ?? 1) }
        if let gnuHash = value(0x6fff_fef5) { touch(vaddr: gnuHash, length: sections[0x6fff_fff6] ?? 1) }
        if let versym = value(0x6fff_fff0) { touch(vaddr: versym, length: sections[0x6fff_ffff] ?? 1) }
        if let verneed = value(0x6fff_fffe) { touch(vaddr: verneed, length: sections[0x6fff_fffe] ?? 1) }
        if let verdef = value(0x6fff_fffc) { touch(vaddr: verdef, length: sections[0x6fff_fffd] ?? 1) }
        // Relocation tables, then the pages they write to (GOT, .data.rel.ro, .data, arrays).
        var targets: [UInt64] = []
        var relativeAddends: [UInt64: UInt64] = [:]
        if let rela = value(7), let sz = value(8) {
            touch(vaddr: rela, length: sz)
            scanRelocations(vaddr: rela, size: sz, entry: 24, into: &targets, addends: &relativeAddends)
        }
        if let rel = value(17), let sz = value(18) {
            touch(vaddr: rel, length: sz)
            scanRelocations(vaddr: rel, size: sz, entry: 16, into: &targets, addends: &relativeAddends)
        }
        if let jmprel = value(23), let sz = value(2) {
            touch(vaddr: jmprel, length: sz)
            scanRelocations(vaddr: jmprel, size: sz, entry: value(20) == 17 ? 16 : 24, into: &targets, addends: &relativeAddends)
        }
        if let relr = value(36), let sz = value(35) {
            touch(vaddr: relr, length: sz)
            scanRelr(vaddr: relr, size: sz, into: &targets)
        }
        for t in targets { touch(vaddr: t) }
        // The page where each writable segment's .bss starts is zeroed in place.
        for s in loads where s.writable && s.memsz > s.filesz && s.filesz > 0 && (s.offset + s.filesz) % pageSize != 0 {
            touch(offset: s.offset + s.filesz - 1, length: 1)
        }
        // Code that runs at load: init/fini arrays (their slots and the functions they name),
        // DT_INIT, the entry point of an executable, a Python extension's PyInit_ function.
        var code: [UInt64] = []
        for (arrayTag, sizeTag) in [(UInt64(25), UInt64(27)), (26, 28)] {
            guard let array = value(arrayTag), let sz = value(sizeTag), sz <= 1 << 20, array <= UInt64.max - sz else { continue }
            touch(vaddr: array, length: sz)
            if arrayTag == 26 { continue } // fini functions run at exit, often not at all
            for slot in stride(from: array, to: array + sz, by: 8) {
                if let a = relativeAddends[slot] { code.append(a) } else if let off = fileOffset(slot), let b = bytes(off, 8) { code.append(Self.u64(b, 0)) }
            }
        }
        if let i = value(12) { code.append(i) }
        if type == 2 || interpreter != nil, entry != 0 { code.append(entry) }
        if let symtab, let strtab, let pyInit = pythonInit(symtab: symtab, strtab: strtab, strsz: value(10) ?? 0, count: (sections[11] ?? 0) / 24) {
            code.append(pyInit)
        }
        for a in code where a != 0 { touch(vaddr: a) }
        let ranges = { (s: Segment) -> Range<UInt64> in (s.offset / pageSize)..<((s.offset + s.filesz + pageSize - 1) / pageSize) }
        return ELFLoadPlan(pages: touched, interpreter: interpreter, loadEndPage: (loadEnd + pageSize - 1) / pageSize,
                           isExecutable: type == 2 || interpreter != nil,
                           codeRanges: loads.filter { $0.executable && $0.filesz > 0 }.map(ranges),
                           loadRanges: loads.filter { $0.filesz > 0 }.map(ranges))
    }

    /// Section sizes by section type (the first section of each type), from the section headers
    /// at the end of the file; the loader never reads them, but they size the tables it does.
    func sectionSizes(shoff: UInt64, entsize: Int, count: Int) -> [UInt64: UInt64] {
        guard shoff > 0, entsize >= 64, count > 0, count <= ELFLoadPlan.Limits.sectionHeaders,
              let b = bytes(shoff, entsize * count) else { return [:] }
        var out: [UInt64: UInt64] = [:]
        for i in 0..<count {
            let type = Self.u32(b, i * entsize + 4)
            let sz = Self.u64(b, i * entsize + 32)
            if out[type] == nil, sz < size { out[type] = sz }
        }
        return out
    }

    /// Collects the distinct pages written by a REL/RELA table, and the addends of its
    /// R_*_RELATIVE entries by target (to follow relocated init_array slots).
    func scanRelocations(vaddr: UInt64, size sz: UInt64, entry: Int, into targets: inout [UInt64], addends: inout [UInt64: UInt64]) {
        guard let off = fileOffset(vaddr) else { return }
        let n = Int(Swift.min(sz, UInt64(ELFLoadPlan.Limits.relocationBytes), size - off)) / entry
        guard n > 0, let b = bytes(off, n * entry) else { return }
        var lastPage = UInt64.max
        for i in 0..<n {
            let target = Self.u64(b, i * entry)
            let info = Self.u64(b, i * entry + 8)
            let type = info & 0xffff_ffff
            if entry == 24, type == 8 || type == 1027 || type == 3 { // x86-64, AArch64, RISC-V RELATIVE
                addends[target] = Self.u64(b, i * entry + 16)
            }
            let page = target / pageSize
            if page != lastPage { targets.append(target); lastPage = page }
        }
    }

    /// DT_RELR: even words are addresses, odd words bitmaps of the 63 words that follow.
    func scanRelr(vaddr: UInt64, size sz: UInt64, into targets: inout [UInt64]) {
        guard let off = fileOffset(vaddr) else { return }
        let n = Int(Swift.min(sz, UInt64(ELFLoadPlan.Limits.relocationBytes), size - off)) / 8
        guard n > 0, let b = bytes(off, n * 8) else { return }
        var base: UInt64 = 0
        for i in 0..<n {
            let w = Self.u64(b, i * 8)
            if w & 1 == 0 {
                targets.append(w)
                base = w &+ 8
            } else {
                var bits = w >> 1
                var k: UInt64 = 0
                while bits != 0 {
                    if bits & 1 != 0 { targets.append(base &+ k * 8) }
                    bits >>= 1; k += 1
                }
                base = base &+ 63 * 8
            }
        }
    }

    /// The address of a defined `PyInit_*` symbol (CPython calls it right after dlopen).
    func pythonInit(symtab: UInt64, strtab: UInt64, strsz: UInt64, count: UInt64) -> UInt64? {
        guard count > 0, strsz > 0, let so = fileOffset(symtab), let to = fileOffset(strtab) else { return nil }
        let n = Int(Swift.min(count, UInt64(ELFLoadPlan.Limits.symbolScanBytes / 24), (size - so) / 24))
        let m = Int(Swift.min(strsz, UInt64(ELFLoadPlan.Limits.symbolScanBytes), size - to))
        guard n > 0, let syms = bytes(so, n * 24), let strings = bytes(to, m) else { return nil }
        let prefix = Array("PyInit_".utf8)
        for i in 0..<n {
            let name = Int(Self.u32(syms, i * 24)), value = Self.u64(syms, i * 24 + 8)
            guard value != 0, name <= m - prefix.count, strings[name..<(name + prefix.count)].elementsEqual(prefix) else { continue }
            return value
        }
        return nil
    }
}
