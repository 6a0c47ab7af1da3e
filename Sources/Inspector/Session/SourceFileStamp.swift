#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EROFS

/// The size and modification time of an image or blob file when the session opened it: enough
/// to tell, after a read error, whether the file changed underneath the replay.
struct SourceFileStamp: Equatable, Sendable {
    var path: String
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// The file at `path` as it is now; nil when it cannot be found.
    static func current(_ path: String) -> SourceFileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let m = st.st_mtimespec
        #else
        let m = st.st_mtim
        #endif
        return SourceFileStamp(path: path, size: Int64(st.st_size), modifiedSeconds: Int(m.tv_sec), modifiedNanoseconds: Int(m.tv_nsec))
    }

    /// The distinct files behind an image's devices (flat devices share the primary's).
    static func stamps(of image: Image) -> [SourceFileStamp] {
        var seen: Set<String> = []
        return image.devices.compactMap { device in
            guard seen.insert(device.path).inserted else { return nil }
            return current(device.path)
        }
    }

    /// How the file differs now, in words; nil while it is unchanged.
    func change() -> String? {
        guard let now = SourceFileStamp.current(path) else { return "\(path) was removed after the replay started" }
        if now.size != size { return "\(path) changed on disk after the replay started (\(size) bytes then, \(now.size) now)" }
        if now != self { return "\(path) was modified on disk after the replay started" }
        return nil
    }
}
