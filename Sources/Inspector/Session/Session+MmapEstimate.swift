import EROFS
import PageCacheModel
import Workload

/// Tunables of the code-fault estimate (see `Session.codeTouches`), measured on a Python
/// startup importing numpy (Tests/Fixtures/strace-startups, README "What a strace log shows").
enum CodeFaultModel {
    /// Fraction of read-around windows of the program's own PT_LOAD segments that its startup
    /// faults (an exec'd program runs through much of its code, read-only data and data).
    static let programDensity = 0.8
    /// Fraction of read-around windows of a loaded library's code that its load faults ...
    static let libraryDensity = 0.3
    /// ... but never more than this many faults per object (large libraries carry code for
    /// many CPUs or features, and a startup runs little of it).
    static let libraryMaxFaults = 16
}

extension Session {
    /// The files that have fault or map-around events somewhere in `steps`.
    static func faultedFiles<S: Sequence>(in steps: S) -> Set<SessionFile> where S.Element == ReplayStep {
        var out: Set<SessionFile> = []
        for s in steps {
            switch s.action {
            case .fault(let f, _), .mapPages(let f, _, _): out.insert(f)
            default: break
            }
        }
        return out
    }

    /// `mmap` of handle `h` in container `c`, then the faults the trace does not show, per
    /// `mmapFaults`. A mapping of `TraceLimits.maxLength` bytes from 0 is the program an
    /// `execve` mapped (the strace parser writes it so).
    func mapAndEstimate(container c: ContainerID, handle h: Int64, open mh: OpenFileID, offset: UInt64, length: UInt64) throws {
        guard let file = cursor.handleFiles[h], let id = try fileID(for: file) else { return }
        let size = files[id].size
        let isProgram = offset == 0 && length >= TraceLimits.maxLength
        // Pages past EOF cannot fault (SIGBUS); the model's mapping stops at EOF too.
        let mappedLength = offset >= size ? 0 : Swift.min(length, size - offset)
        let mapping = simulator.mmap(mh, offset: offset, length: mappedLength)
        guard mappedLength > 0, !filesWithFaultEvents.contains(file), files[id].kind == .regular else { return }
        let first = offset / 4096, end = (offset + mappedLength + 4095) / 4096
        let ra = UInt64(max(0, configuration.readaheadKB) / 4)
        let plan = try elfPlan(file)
        // What is mapped: an exec'd program or a loader's first mapping covers the PT_LOAD span.
        var span = first..<end
        if let plan, isProgram { span = 0..<Swift.min(end, plan.loadEndPage) }
        cursor.unobservedMappedBytes += (span.upperBound - span.lowerBound) * 4096
        switch configuration.mmapFaults {
        case .low:
            return
        case .high:
            // Every mapped page faulted: read-around can reach ra/2 before the first page, and
            // async read-around one window past the last.
            let lo = span.lowerBound > ra / 2 ? span.lowerBound - ra / 2 : 0
            simulator.accessPages(c, id, pages: lo..<Swift.min(span.upperBound + ra, (size + 4095) / 4096))
            for p in span { simulator.touch(mapping, page: p) }
            if isProgram, let interp = plan?.interpreter { try mapInterpreter(interp, of: file, container: c, ra: ra, everyPage: true) }
        case .estimate:
            if let plan {
                if isProgram, cursor.pendingPlanPages[h] == nil, let interp = plan.interpreter { try mapInterpreter(interp, of: file, container: c, ra: ra) }
                if cursor.pendingPlanPages[h] == nil { cursor.pendingPlanPages[h] = Set(plan.pages + codeTouches(plan, program: isProgram, ra: ra)) }
                guard var pending = cursor.pendingPlanPages[h], !pending.isEmpty else { return }
                for p in plan.pages + codeTouches(plan, program: isProgram, ra: ra) where span.contains(p) && pending.contains(p) {
                    simulator.touch(mapping, page: p)
                    pending.remove(p)
                }
                cursor.pendingPlanPages[h] = pending
                return
            }
            switch configuration.mmapTouch {
            case .none: break
            case .first: simulator.touch(mapping, page: first)
            case .all: for p in first..<end { simulator.touch(mapping, page: p) }
            }
        }
    }

    /// The program's PT_INTERP when the image holds it (a container image carries its own
    /// dynamic loader): the kernel opens it, reads its header and maps it with no strace line,
    /// and the loader relocates itself; estimated as a library. Outside the image: nothing.
    func mapInterpreter(_ path: String, of program: SessionFile, container c: ContainerID, ra: UInt64, everyPage: Bool = false) throws {
        let image = catalogs[program.image].image
        guard let inode = try? image.resolve(path, followFinalSymlink: true), inode.type == .regular else { return }
        let file = SessionFile(image: program.image, nid: inode.nid)
        guard !filesWithFaultEvents.contains(file), let id = try fileID(for: file), let plan = try elfPlan(file) else { return }
        let handle = simulator.open(c, id)
        simulator.read(handle, offset: 0, length: 256)
        let length = plan.loadEndPage * 4096
        let mapping = simulator.mmap(handle, offset: 0, length: Swift.min(length, files[id].size))
        cursor.unobservedMappedBytes += Swift.min(length, files[id].size)
        if everyPage {
            simulator.accessPages(c, id, pages: 0..<Swift.min(plan.loadEndPage + ra, (files[id].size + 4095) / 4096))
            for p in 0..<plan.loadEndPage { simulator.touch(mapping, page: p) }
        } else {
            for p in plan.pages + codeTouches(plan, program: false, ra: ra) where p < plan.loadEndPage {
                simulator.touch(mapping, page: p)
            }
        }
        simulator.close(handle)
    }

    /// Code faults the loader's pages leave out: pages spread over the object's code (a
    /// program: all its PT_LOAD segments) at one fault per `ra / density` pages, so that the
    /// given fraction of read-around windows is faulted (`CodeFaultModel`).
    func codeTouches(_ plan: ELFLoadPlan, program: Bool, ra: UInt64) -> [UInt64] {
        let density = program ? CodeFaultModel.programDensity : CodeFaultModel.libraryDensity
        let stride = Swift.max(1, UInt64((Double(Swift.max(ra, 1)) / density).rounded()))
        var out: [UInt64] = []
        for r in program ? plan.loadRanges : plan.codeRanges {
            var p = r.lowerBound + Swift.min(stride / 2, UInt64(r.count) / 2)
            while p < r.upperBound {
                out.append(p)
                p += stride
            }
        }
        if !program && out.count > CodeFaultModel.libraryMaxFaults {
            // Keep an even spread of the allowed number.
            let step = Double(out.count) / Double(CodeFaultModel.libraryMaxFaults)
            out = (0..<CodeFaultModel.libraryMaxFaults).map { out[Int(Double($0) * step)] }
        }
        return out
    }

    /// The loader plan of `file`, examined once; nil when it is not an ELF object this
    /// understands (or cannot be read: the reader's errors make it data, not a failure).
    func elfPlan(_ file: SessionFile) throws -> ELFLoadPlan? {
        if let cached = elfPlans[file] { return cached }
        let image = catalogs[file.image].image
        var plan: ELFLoadPlan?
        if let inode = try? image.inode(file.nid), inode.type == .regular {
            plan = ELFLoadPlan.make(size: inode.size) { offset, count in try? image.read(inode, at: offset, count: count) }
        }
        elfPlans[file] = .some(plan)
        return plan
    }
}
