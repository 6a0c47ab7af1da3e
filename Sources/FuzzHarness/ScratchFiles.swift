#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private temporary folder holding the files one fuzz input is written to.
///
/// The reader opens images by path, so each input is written to a file (in `/dev/shm` when it
/// exists, so nothing touches a disk). Files are rewritten in place for every input; the folder
/// is removed when the value is released.
public final class ScratchFiles: @unchecked Sendable {
    /// The folder; blobs are looked up here by tag.
    public let directory: String

    /// Creates a fresh folder under `/dev/shm` (or `/tmp`).
    public init() {
        let parent = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(parent)/erofs-fuzz-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "cannot create a scratch folder under \(parent)")
        directory = String(cString: template)
    }

    deinit {
        for name in written { unlink(directory + "/" + name) }
        rmdir(directory)
    }

    private var written: Set<String> = []

    /// Writes `bytes` to `name` in the folder (replacing what was there) and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: UnsafeRawBufferPointer) -> String {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot write \(path)")
        defer { close(fd) }
        written.insert(name)
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            precondition(n > 0, "short write to \(path)")
            done += n
        }
        return path
    }

    /// Writes `bytes` to `name` in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { write(name, $0) }
    }
}
