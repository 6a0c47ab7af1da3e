import EROFS

/// Drives the EROFS reader over one untrusted image the way the front ends do: open, walk every
/// directory, stat and read xattrs of every inode, map and read every file, follow symlinks and
/// look names up again. Used by the `fuzz-image` target, the corrupted-image sweep and the
/// regression tests.
///
/// The contract checked: every failure is a typed `EROFSError`; anything else thrown is
/// rethrown so that a fuzzer can report it. Work per image is capped (`Budget`) so that one
/// input stays fast even when the image is valid and large.
public struct ImageExercise {
    /// Bounds on the work done for one image.
    public struct Budget: Sendable {
        /// Inodes visited in the walk before stopping.
        public var inodes = 2_000
        /// File bytes read in total before stopping.
        public var bytes: UInt64 = 8 << 20
        /// Size of each read call.
        public var readSize = 64 << 10
        public init() {}
    }

    /// What happened to one image.
    public enum Outcome: Equatable, Sendable {
        /// Everything within budget read without error.
        case read(Statistics)
        /// The reader stopped with a typed error (the expected result for a corrupted image).
        case failed(EROFSError)
    }

    /// Counts of what was read (for tests that compare a corrupted image with the original).
    public struct Statistics: Equatable, Sendable {
        public var inodes = 0
        public var bytes: UInt64 = 0
        public var xattrs = 0
        public var errors = 0
        public init() {}
    }

    public var budget: Budget

    public init(budget: Budget = Budget()) {
        self.budget = budget
    }

    /// Opens `spec` and exercises it. Per-file read errors are counted and the walk goes on
    /// (as `ls`/`extract` would report and continue); an error in opening or walking ends it.
    public func run(_ spec: ImageSpec) throws -> Outcome {
        var stats = Statistics()
        var firstFileError: EROFSError?
        do {
            let image = try Image(spec)
            var links: [String] = []
            do {
                try image.walk { event in
                    guard case .entry(let path, let inode) = event else { return }
                    stats.inodes += 1
                    guard stats.inodes <= budget.inodes else { throw BudgetSpent() }
                    do {
                        try visit(image, path: path, inode: inode, stats: &stats, links: &links)
                    } catch let error as EROFSError {
                        stats.errors += 1
                        if firstFileError == nil { firstFileError = error }
                    }
                }
            } catch is BudgetSpent {}
            for link in links.prefix(64) {
                do { _ = try image.resolve(link, followFinalSymlink: true) } catch let error as EROFSError {
                    stats.errors += 1
                    if firstFileError == nil { firstFileError = error }
                }
            }
            _ = try image.packedInode()
        } catch let error as EROFSError {
            return .failed(error)
        }
        if let firstFileError, stats.inodes == 0 { return .failed(firstFileError) }
        return .read(stats)
    }

    /// Stats, xattrs, data mapping and content of one inode.
    private func visit(_ image: Image, path: String, inode: Inode, stats: inout Statistics, links: inout [String]) throws {
        _ = (inode.mode, inode.size, inode.nlink, inode.uid, inode.gid, inode.mtime, inode.rdev)
        if inode.xattrCount > 0 {
            stats.xattrs += try image.xattrs(of: inode).count
            _ = try image.fingerprint(of: inode)
        }
        switch inode.type {
        case .directory:
            // The walk reads directories; a lookup of the first real name checks the binary search.
            if let entry = try image.readDirectory(inode).first(where: { !$0.isDotOrDotDot }) {
                _ = try image.lookup(entry.nameBytes, in: inode)
            }
        case .symlink:
            _ = try image.symlinkTarget(inode)
            links.append(path)
        case .regular:
            _ = try image.extents(of: inode)
            var offset: UInt64 = 0
            while offset < inode.size {
                let left = budget.bytes - stats.bytes
                guard left > 0 else { throw BudgetSpent() }
                let chunk = try image.read(inode, at: offset, count: Int(min(UInt64(budget.readSize), left)))
                guard !chunk.isEmpty else { break }
                stats.bytes += UInt64(chunk.count)
                offset += UInt64(chunk.count)
            }
        default:
            break
        }
    }
}

/// Thrown inside a walk when the budget is spent; never escapes `run`.
struct BudgetSpent: Error {}
