#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_silgen_name("copy_file_range")
private func copyFileRange(_ fdIn: Int32, _ offIn: UnsafeMutablePointer<Int64>?, _ fdOut: Int32, _ offOut: UnsafeMutablePointer<Int64>?, _ length: Int, _ flags: UInt32) -> Int

/// Random-access bytes of one device (an image file or a blob), read with `pread`.
///
/// Safe to use from several threads: `pread` carries its own offset.
public final class FileByteSource: @unchecked Sendable {
    /// The path the source was opened from.
    public let path: String
    /// The file size in bytes when opened.
    public let size: UInt64
    private let fd: Int32

    /// Opens `path` read-only.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            let kind: EROFSError.Kind = err == ENOENT ? .blobMissing : .io
            throw EROFSError(kind, "cannot open \(path): \(String(cString: strerror(err)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw EROFSError(.io, "cannot stat \(path)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw EROFSError(.io, "\(path) is a directory, not an image")
        }
        var size = UInt64(max(0, st.st_size))
        if (st.st_mode & S_IFMT) == S_IFBLK {
            let end = lseek(fd, 0, SEEK_END)
            size = end > 0 ? UInt64(end) : 0
        }
        self.fd = fd
        self.path = path
        self.size = size
    }

    deinit { close(fd) }

    /// Fills `buffer` with the bytes at `offset`; throws `.truncated` if the file ends first.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws {
        guard buffer.count > 0 else { return }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(buffer.count))
        guard !overflow, end <= size else {
            throw EROFSError(.truncated, "read of \(buffer.count) bytes at offset \(offset) is past the end of \(path) (\(size) bytes)")
        }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw EROFSError(.io, "read error in \(path) at offset \(offset): \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                throw EROFSError(.truncated, "\(path) ends at \(offset + UInt64(done)), expected \(buffer.count - done) more bytes")
            }
            done += n
        }
    }

    /// Copies `count` bytes at `offset` to `fd` at `outOffset` inside the kernel (copy_file_range:
    /// no trip through a user buffer). Returns false, having copied nothing, when the kernel cannot
    /// copy between these files (the caller then reads and writes); throws `.truncated` if the
    /// file ends first, `.io` on a write error.
    public func copy(at offset: UInt64, count: Int, to fd: Int32, at outOffset: UInt64) throws -> Bool {
        guard count > 0 else { return true }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow, end <= size else {
            throw EROFSError(.truncated, "read of \(count) bytes at offset \(offset) is past the end of \(path) (\(size) bytes)")
        }
        var from = Int64(offset), to = Int64(outOffset)
        var done = 0
        while done < count {
            let n = copyFileRange(self.fd, &from, fd, &to, count - done, 0)
            if n < 0 {
                let err = errno
                if err == EINTR { continue }
                if done == 0 && [EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EBADF, EPERM].contains(err) { return false }
                throw EROFSError(.io, "copy from \(path) at offset \(offset) failed: \(String(cString: strerror(err)))")
            }
            if n == 0 {
                throw EROFSError(.truncated, "\(path) ends at \(offset + UInt64(done)), expected \(count - done) more bytes")
            }
            done += n
        }
        return true
    }

    /// Returns `count` bytes at `offset`.
    public func bytes(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw EROFSError(.invalidArgument, "negative read length") }
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try read(into: $0, at: offset) }
        return out
    }
}
