#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The regular files of an extraction, written on several threads once the tree's directories
/// exist: each file (or, for a large one, each 4 MiB piece of it) is one unit of work, taken in
/// walk order. Output is the same as writing them one after another: every unit writes its own
/// bytes at their own offsets, and the error reported is the first in walk order.
final class ExtractWriter {
    /// One regular file to write.
    struct Job {
        let image: Image
        let inode: Inode
        /// Where it goes, and its path in the image (for error messages).
        let target: String
        let path: String
    }

    /// Files at least this large are written in pieces of `pieceSize` bytes, in parallel.
    static let splitSize: UInt64 = 8 << 20
    static let pieceSize: UInt64 = 4 << 20
    /// Read and decode buffer per thread.
    static let bufferSize = 1 << 20

    private(set) var jobs: [Job] = []
    let options: ExtractOptions

    init(options: ExtractOptions) { self.options = options }

    func add(_ image: Image, _ inode: Inode, target: String, path: String) {
        jobs.append(Job(image: image, inode: inode, target: target, path: path))
    }

    private struct Unit {
        var job: Int
        var start: UInt64
        var end: UInt64
        /// The file was created and sized before the threads started (a piece of a split file).
        var isPiece: Bool
    }

    /// Writes every file and restores its attributes; throws the first failure in walk order.
    func run(threads: Int = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4)) throws {
        var units: [Unit] = []
        units.reserveCapacity(jobs.count)
        for (index, job) in jobs.enumerated() {
            let size = job.inode.size
            guard size >= Self.splitSize else {
                units.append(Unit(job: index, start: 0, end: size, isPiece: false))
                continue
            }
            try createSized(job)
            var start: UInt64 = 0
            while start < size {
                let end = min(size, start + Self.pieceSize)
                units.append(Unit(job: index, start: start, end: end, isPiece: true))
                start = end
            }
        }
        let state = WorkState()
        let work: (Int) -> Void = { _ in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 4096)
            defer { buffer.deallocate() }
            while let index = state.take(limit: units.count) {
                do { try self.write(units[index], buffer: buffer) } catch { state.fail(index, error) }
            }
        }
        let count = min(threads, units.count)
        if count <= 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: work) }
        if let error = state.firstError { throw error }
        for job in jobs where job.inode.size >= Self.splitSize {
            try job.image.restoreAttributes(job.inode, at: job.target, options: options)
        }
    }

    private func write(_ unit: Unit, buffer: UnsafeMutableRawBufferPointer) throws {
        let job = jobs[unit.job]
        try withLocation(image: job.image.path, path: job.path) {
            if unit.isPiece {
                let fd = open(job.target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw job.image.ioError("cannot open \(job.target)") }
                defer { close(fd) }
                try job.image.writeRange(job.inode, from: unit.start, to: unit.end, fd: fd, target: job.target, buffer: buffer)
            } else {
                try job.image.writeFile(job.inode, to: job.target, buffer: buffer)
                try job.image.restoreAttributes(job.inode, at: job.target, options: options)
            }
        }
    }

    /// Creates a split file at its final size (holes stay zero; the pieces fill in the rest).
    private func createSized(_ job: Job) throws {
        let fd = try job.image.createReplacing(job.target)
        defer { close(fd) }
        if ftruncate(fd, off_t(job.inode.size)) != 0 { throw job.image.ioError("cannot size \(job.target)") }
    }

    /// The shared cursor over units, and the failure with the lowest unit index.
    private final class WorkState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var failedAt: Int?
        private(set) var firstError: Error?

        /// The next unit to write, or nil when all are taken or one has failed (units below a
        /// failed one have all been taken, so the first failure in walk order is always seen).
        func take(limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard failedAt == nil, next < limit else { return nil }
            next += 1
            return next - 1
        }

        func fail(_ index: Int, _ error: Error) {
            lock.lock()
            defer { lock.unlock() }
            if failedAt.map({ index < $0 }) ?? true {
                failedAt = index
                firstError = error
            }
        }
    }
}
