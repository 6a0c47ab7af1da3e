#if canImport(Glibc)
import Glibc
#endif

/// Options for `Image.extract`.
public struct ExtractOptions: Sendable {
    /// Restore owners (needs root).
    public var restoreOwners: Bool
    /// Create device nodes (needs root); otherwise they are skipped and counted.
    public var createDeviceNodes: Bool
    public init(restoreOwners: Bool = geteuid() == 0, createDeviceNodes: Bool = geteuid() == 0) {
        self.restoreOwners = restoreOwners
        self.createDeviceNodes = createDeviceNodes
    }
}

/// What an extraction wrote.
public struct ExtractSummary: Sendable {
    public var files = 0, directories = 0, symlinks = 0, hardLinks = 0, specialFiles = 0, skipped = 0
    public var bytes: UInt64 = 0
}

extension Image {
    /// Extracts the whole tree into `destination` (created if needed): files, directories,
    /// symlinks, hard links, device nodes, fifos and sockets, with modes and mtimes, and owners when allowed.
    @discardableResult
    public func extract(to destination: String, options: ExtractOptions = ExtractOptions()) throws -> ExtractSummary {
        var summary = ExtractSummary()
        var linked: [UInt64: String] = [:]
        // Files are written on several threads while the walk goes on (each after the walk has
        // made its folder); hard links to them and directory attributes (whose mtimes the
        // writes would change) follow once all are written.
        var links: [(first: String, target: String)] = []
        var directories: [(inode: Inode, target: String)] = []
        if mkdir(destination, 0o755) != 0 && errno != EEXIST {
            throw ioError("cannot create \(destination)")
        }
        let writer = ExtractWriter(options: options)
        do { try walk { event in
            switch event {
            case .entry(let path, let inode):
                let target = path == "/" ? destination : destination + path
                switch inode.type {
                case .directory:
                    if path != "/" {
                        if mkdir(target, 0o700) != 0 && errno != EEXIST { throw ioError("cannot create directory \(target)") }
                    }
                    summary.directories += 1
                case .regular:
                    if inode.nlink > 1, let first = linked[inode.nid] {
                        links.append((first, target))
                        summary.hardLinks += 1
                        return
                    }
                    try writer.add(self, inode, target: target, path: path)
                    summary.files += 1
                    summary.bytes += inode.size
                    if inode.nlink > 1 { linked[inode.nid] = target }
                    return
                case .symlink:
                    let link = try withLocation(path: path) { try symlinkTarget(inode) }
                    unlink(target)
                    if symlink(link, target) != 0 { throw ioError("cannot create symlink \(target)") }
                    summary.symlinks += 1
                case .characterDevice, .blockDevice, .fifo, .socket:
                    if inode.nlink > 1, let first = linked[inode.nid] {
                        unlink(target)
                        if link(first, target) == 0 { summary.hardLinks += 1; return }
                    }
                    guard try createSpecialNode(inode, at: target, options: options, summary: &summary) else { return }
                    if inode.nlink > 1 { linked[inode.nid] = target }
                }
                if inode.type != .directory { try restoreAttributes(inode, at: target, options: options) }
            case .leaveDirectory(let path, let inode):
                directories.append((inode, path == "/" ? destination : destination + path))
            }
        } } catch {
            writer.abandon()
            throw error
        }
        try writer.finish()
        for (first, target) in links {
            unlink(target)
            if link(first, target) != 0 { throw ioError("cannot link \(target)") }
        }
        for (inode, target) in directories { try restoreAttributes(inode, at: target, options: options) }
        return summary
    }

    /// Writes the regular file `inode` to `target`; with `attributes`, then restores its owner,
    /// mode and mtime through the open descriptor (as `restoreAttributes` does by path).
    func writeFile(_ inode: Inode, to target: String, buffer: UnsafeMutableRawBufferPointer, attributes: ExtractOptions? = nil) throws {
        let fd = try createReplacing(target)
        defer { close(fd) }
        let sparseTail = try writeRange(inode, from: 0, to: inode.size, fd: fd, target: target, buffer: buffer)
        if sparseTail || inode.size == 0 {
            if ftruncate(fd, off_t(inode.size)) != 0 { throw ioError("cannot size \(target)") }
        }
        if let options = attributes { try restoreAttributes(inode, fd: fd, target: target, options: options) }
    }

    /// Creates `target` as a new empty file for writing, replacing whatever was there (a file, or
    /// a symlink, which is never followed); returns its descriptor.
    func createReplacing(_ target: String) throws -> Int32 {
        // Into a fresh folder the exclusive create succeeds at once (no unlink call per file).
        var fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST {
            unlink(target)
            fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { throw ioError("cannot create \(target)") }
        return fd
    }

    /// Writes the file's bytes `start..<end` at the same offsets of `fd`, skipping holes of
    /// uncompressed files; returns whether the range ends in a hole (the file must be sized).
    @discardableResult
    func writeRange(_ inode: Inode, from start: UInt64, to end: UInt64, fd: Int32, target: String, buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        var offset = start
        var sparseTail = false
        var kernelCopy = true
        while offset < end {
            if !inode.layout.isCompressed, var extent = try? extent(of: inode, at: offset) {
                if inode.layout == .chunkBased && devices.count == 1 { extent = mergingFollowingChunks(of: inode, into: extent, before: end) }
                if extent.location == .hole {
                    offset = min(end, extent.logicalEnd)
                    sparseTail = true
                    continue
                }
                // Stored bytes go from the image to the file inside the kernel, without a copy
                // here; an inline tail of the primary metadata is bytes of device 0 as well.
                var stored: (id: Int, offset: UInt64)?
                switch extent.location {
                case .device(let id, let pa): stored = (id, pa)
                case .inline(let at) where inode.space == .primary: stored = (0, at)
                default: stored = nil
                }
                if kernelCopy, let (id, pa) = stored {
                    let count = min(end, extent.logicalEnd) - offset
                    let copied = try withLocation(image: path, nid: inode.nid) { () throws -> Bool in
                        let (device, local) = try resolve(device: id, offset: pa + (offset - extent.logicalOffset), length: count)
                        return try device.source.copy(at: device.base + local, count: Int(count), to: fd, at: offset)
                    }
                    if copied {
                        offset += count
                        sparseTail = false
                        continue
                    }
                    kernelCopy = false
                }
            }
            let count = Int(min(UInt64(buffer.count), end - offset))
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            try readData(of: inode, at: offset, into: slice)
            var written = 0
            while written < count {
                let n = pwrite(fd, slice.baseAddress! + written, count - written, off_t(offset) + off_t(written))
                if n < 0 { if errno == EINTR { continue }; throw ioError("cannot write \(target)") }
                written += n
            }
            offset += UInt64(count)
            sparseTail = false
        }
        return sparseTail
    }

    /// `extent` (a chunk) grown over the chunks after it, up to `end`, while they continue it on
    /// disk, so that a file stored in one run is one copy; a hole grows over holes.
    func mergingFollowingChunks(of inode: Inode, into extent: DataExtent, before end: UInt64) -> DataExtent {
        var run = extent
        while run.logicalEnd < end, let next = try? self.extent(of: inode, at: run.logicalEnd) {
            switch (run.location, next.location) {
            case (.hole, .hole):
                break
            case (.device(let id, let pa), .device(let nextID, let nextPA)) where nextID == id && pa.addingReportingOverflow(run.length) == (nextPA, false):
                break
            default:
                return run
            }
            run.length += next.length
        }
        return run
    }

    /// Creates the device node, FIFO or socket `inode` at `target`; false when device nodes are
    /// not to be created (counted as skipped).
    func createSpecialNode(_ inode: Inode, at target: String, options: ExtractOptions, summary: inout ExtractSummary) throws -> Bool {
        let isDevice = inode.type == .characterDevice || inode.type == .blockDevice
        if isDevice && !options.createDeviceNodes {
            summary.skipped += 1
            return false
        }
        unlink(target)
        let dev = isDevice ? linuxDeviceNumber(inode.rdev.major, inode.rdev.minor) : 0
        if mknod(target, mode_t(inode.mode), dev) != 0 { throw ioError("cannot create node \(target)") }
        summary.specialFiles += 1
        return true
    }

    func restoreAttributes(_ inode: Inode, at target: String, options: ExtractOptions) throws {
        if options.restoreOwners {
            _ = lchown(target, inode.uid, inode.gid)
        }
        if inode.type != .symlink {
            if chmod(target, mode_t(inode.permissions)) != 0 { throw ioError("cannot chmod \(target)") }
        }
        var times = [timespec(tv_sec: Int(inode.mtime), tv_nsec: Int(inode.mtimeNanoseconds)),
                     timespec(tv_sec: Int(inode.mtime), tv_nsec: Int(inode.mtimeNanoseconds))]
        _ = utimensat(AT_FDCWD, target, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// `restoreAttributes` for a regular file open as `fd`: the same calls, in the same order,
    /// on the descriptor instead of three lookups of its path.
    func restoreAttributes(_ inode: Inode, fd: Int32, target: String, options: ExtractOptions) throws {
        if options.restoreOwners {
            _ = fchown(fd, inode.uid, inode.gid)
        }
        if fchmod(fd, mode_t(inode.permissions)) != 0 { throw ioError("cannot chmod \(target)") }
        var times = [timespec(tv_sec: Int(inode.mtime), tv_nsec: Int(inode.mtimeNanoseconds)),
                     timespec(tv_sec: Int(inode.mtime), tv_nsec: Int(inode.mtimeNanoseconds))]
        _ = futimens(fd, &times)
    }

    func ioError(_ message: String) -> EROFSError {
        EROFSError(.io, "\(message): \(String(cString: strerror(errno)))", image: path)
    }
}

/// glibc's `makedev`, which does not import into Swift.
func linuxDeviceNumber(_ major: UInt32, _ minor: UInt32) -> dev_t {
    let ma = UInt64(major), mi = UInt64(minor)
    return dev_t(((ma & 0xFFFF_F000) << 32) | ((ma & 0xFFF) << 8) | ((mi & 0xFFFF_FF00) << 12) | (mi & 0xFF))
}
