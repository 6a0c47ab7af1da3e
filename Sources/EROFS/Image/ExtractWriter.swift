#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HeapModule

/// The regular files of an extraction, written on several threads while the walk goes on: the
/// walk makes each directory before it adds the files inside it, and writer threads take the
/// files as they come. Each file (or, for a large compressed one, each 4 MiB piece of it) is
/// one unit of work, and the largest unit waiting (of 1 MiB or more) is taken first, so a long
/// one starts early and the small ones fill in around it, in walk order. Only compressed files are split: their pieces decode
/// in parallel, while two threads writing one file mostly wait on (and, on tmpfs, spin for)
/// the file's lock in the kernel, slower than one thread alone. Output is the same as writing
/// the files one after another: every unit writes its own bytes at their own offsets, and the
/// error reported is the first in walk order.
final class ExtractWriter {
    /// One regular file to write.
    struct Job {
        let image: Image
        let inode: Inode
        /// Where it goes, and its path in the image (for error messages).
        let target: String
        let path: String

        var isSplit: Bool { inode.size >= ExtractWriter.splitSize && inode.layout.isCompressed }
    }

    /// Compressed files at least this large are written in pieces of `pieceSize` bytes, in parallel.
    static let splitSize: UInt64 = 8 << 20
    static let pieceSize: UInt64 = 4 << 20
    /// Read and decode buffer per thread.
    static let bufferSize = 1 << 20

    let options: ExtractOptions
    /// Split files, whose attributes are restored once all their pieces are written.
    private var split: [Job] = []
    private let queue = WorkQueue()
    private var helpers: [Thread] = []
    private let finished = DispatchGroup()

    /// Starts `threads - 1` writer threads; the caller's thread joins them in `finish`.
    init(options: ExtractOptions, threads: Int = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4)) {
        self.options = options
        for _ in 1..<max(threads, 1) {
            finished.enter()
            let thread = Thread { [queue, finished] in
                Self.work(queue, options: options)
                finished.leave()
            }
            thread.stackSize = 1 << 20
            helpers.append(thread)
            thread.start()
        }
    }

    /// Queues a file; its folder must exist already. A split file is created at its size here.
    func add(_ image: Image, _ inode: Inode, target: String, path: String) throws {
        let job = Job(image: image, inode: inode, target: target, path: path)
        guard job.isSplit else {
            queue.add([Unit(job: job, start: 0, end: inode.size, isPiece: false)])
            return
        }
        try withLocation(image: image.path, path: path) { try createSized(job) }
        split.append(job)
        var pieces: [Unit] = []
        var start: UInt64 = 0
        while start < inode.size {
            let end = min(inode.size, start + Self.pieceSize)
            pieces.append(Unit(job: job, start: start, end: end, isPiece: true))
            start = end
        }
        queue.add(pieces)
    }

    /// Ends the queue, writes on the caller's thread too until every unit is done, then restores
    /// the split files' attributes; throws the first failure in walk order.
    func finish() throws {
        queue.close()
        Self.work(queue, options: options)
        finished.wait()
        if let error = queue.firstError { throw error }
        for job in split { try job.image.restoreAttributes(job.inode, at: job.target, options: options) }
    }

    /// Stops the writer threads after the unit each is writing (the walk failed) and waits for them.
    func abandon() {
        queue.abandon()
        finished.wait()
    }

    fileprivate struct Unit {
        var job: Job
        var start: UInt64
        var end: UInt64
        /// The file was created and sized when it was queued (a piece of a split file).
        var isPiece: Bool
        var size: UInt64 { end - start }
    }

    private static func work(_ queue: WorkQueue, options: ExtractOptions) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 4096)
        defer { buffer.deallocate() }
        while let (index, unit) = queue.take() {
            do { try write(unit, buffer: buffer, options: options) } catch { queue.fail(index, error) }
        }
    }

    private static func write(_ unit: Unit, buffer: UnsafeMutableRawBufferPointer, options: ExtractOptions) throws {
        let job = unit.job
        try withLocation(image: job.image.path, path: job.path) {
            if unit.isPiece {
                let fd = open(job.target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw job.image.ioError("cannot open \(job.target)") }
                defer { close(fd) }
                try job.image.writeRange(job.inode, from: unit.start, to: unit.end, fd: fd, target: job.target, buffer: buffer)
            } else {
                try job.image.writeFile(job.inode, to: job.target, buffer: buffer, attributes: options)
            }
        }
    }

    /// Creates a split file at its final size (holes stay zero; the pieces fill in the rest).
    private func createSized(_ job: Job) throws {
        let fd = try job.image.createReplacing(job.target)
        defer { close(fd) }
        if ftruncate(fd, off_t(job.inode.size)) != 0 { throw job.image.ioError("cannot size \(job.target)") }
    }
}

/// The units waiting to be written, large ones first, and the failure with the lowest unit
/// index (unit indices are walk order). Units stay in one array; a heap orders their indices.
private final class WorkQueue: @unchecked Sendable {
    /// A unit waiting; the heap's maximum is the next to take: large units first, larger
    /// first, then earlier in walk order.
    private struct Pending: Comparable {
        /// The unit's size when large, else 0.
        var key: UInt64
        var index: Int
        static func < (a: Pending, b: Pending) -> Bool { a.key != b.key ? a.key < b.key : a.index > b.index }
    }

    /// Units at least this large go first, largest first; smaller ones follow in walk order,
    /// which reads their metadata (inline tails, chunk indexes) in disk order.
    static let largeUnit: UInt64 = 1 << 20

    private let condition = NSCondition()
    private var units: [ExtractWriter.Unit] = []
    private var heap = Heap<Pending>()
    private var closed = false
    private var failedAt: Int?
    private var error: Error?

    /// The failure with the lowest unit index, if any.
    var firstError: Error? {
        condition.lock()
        defer { condition.unlock() }
        return error
    }

    func add(_ added: [ExtractWriter.Unit]) {
        condition.lock()
        for unit in added {
            heap.insert(Pending(key: unit.size >= Self.largeUnit ? unit.size : 0, index: units.count))
            units.append(unit)
        }
        condition.unlock()
        if added.count == 1 { condition.signal() } else { condition.broadcast() }
    }

    /// No more units will be added.
    func close() {
        condition.lock()
        closed = true
        condition.unlock()
        condition.broadcast()
    }

    /// Drops the units not yet taken and ends the queue.
    func abandon() {
        condition.lock()
        heap = Heap()
        closed = true
        condition.unlock()
        condition.broadcast()
    }

    /// The next unit to write with its index, waiting while the queue is empty but open; nil at
    /// the end. After a failure only units before it in walk order are still taken, so every
    /// unit a serial run would have written before its first failure is written, and that
    /// failure is the one reported.
    func take() -> (Int, ExtractWriter.Unit)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while let index = heap.popMax()?.index {
                if failedAt.map({ index < $0 }) ?? true { return (index, units[index]) }
            }
            if closed { return nil }
            condition.wait()
        }
    }

    func fail(_ index: Int, _ error: Error) {
        condition.lock()
        defer { condition.unlock() }
        if failedAt.map({ index < $0 }) ?? true {
            failedAt = index
            self.error = error
        }
    }
}
