import EROFS
import Foundation

/// Compares what the reader sees in an image, or what lies in an extracted folder, with a
/// manifest, and collects every difference as a line of text.
public enum ManifestComparison {
    /// What to leave out of a comparison.
    public struct Options {
        /// Compare nlink of directories (rebuild mode recomputes them, so the manifest has them).
        public var directoryLinks = true
        /// Compare the fingerprint field of digest manifests.
        public var fingerprints = true
        public init() {}
    }

    /// Walks `image` and checks every entry against `manifest`: paths, type, mode, owner,
    /// mtime, nlink, size, content sha256, symlink target, rdev, visible xattrs, the
    /// fingerprint, and hard-link groups (same nid exactly when the same manifest inode).
    public static func differences(_ image: Image, _ manifest: Manifest, options: Options = Options()) throws -> [String] {
        var out: [String] = []
        var seen: [String: Inode] = [:]
        try image.walk { event in
            if case .entry(let path, let inode) = event { seen[path] = inode }
        }
        for path in Set(manifest.entries.keys).subtracting(seen.keys).sorted() { out.append("missing in image: \(path)") }
        for path in Set(seen.keys).subtracting(manifest.entries.keys).sorted() { out.append("not in manifest: \(path)") }
        var nidByGroup: [Int: UInt64] = [:]
        var groupByNid: [UInt64: Int] = [:]
        for (path, expected) in manifest.entries.sorted(by: { $0.key < $1.key }) {
            guard let inode = seen[path] else { continue }
            func check<T: Equatable>(_ field: String, _ want: T?, _ got: T?) {
                if want != got { out.append("\(path): \(field) expected \(want.map { "\($0)" } ?? "nil") got \(got.map { "\($0)" } ?? "nil")") }
            }
            check("type", expected.type, inode.type.rawValue)
            check("mode", expected.mode, Int(inode.permissions))
            check("uid", expected.uid, Int(inode.uid))
            check("gid", expected.gid, Int(inode.gid))
            if let mtime = expected.mtime { check("mtime", mtime, Int(inode.mtime)) }
            if let nlink = expected.nlink, inode.type != .directory || options.directoryLinks { check("nlink", nlink, Int(inode.nlink)) }
            if let size = expected.size { check("size", size, Int(inode.size)) }
            switch inode.type {
            case .regular:
                do {
                    let bytes = try image.contents(of: inode)
                    check("sha256", expected.sha256, Hex.sha256(bytes))
                } catch { out.append("\(path): read failed: \(error)") }
            case .symlink:
                check("target", expected.target, try? image.symlinkTarget(inode))
            case .characterDevice, .blockDevice:
                check("rdev", expected.rdev, [Int(inode.rdev.major), Int(inode.rdev.minor)])
            default:
                break
            }
            let attributes = try image.xattrs(of: inode)
            let visible = Dictionary(attributes.filter { !$0.isHidden }.map { ($0.name, Hex.string($0.value)) }, uniquingKeysWith: { a, _ in a })
            check("xattrs", expected.xattrs, visible)
            if options.fingerprints, manifest.fingerprintXattr != nil {
                let value = try image.fingerprint(of: inode)
                check("fingerprint", expected.fingerprint, value.map { Hex.string($0) })
                if let sha = expected.sha256, expected.fingerprint != nil {
                    check("fingerprint text", "sha256:" + sha, value.map(formatFingerprint))
                }
            }
            if let other = nidByGroup[expected.inode], other != inode.nid {
                out.append("\(path): hard link group \(expected.inode) has nids \(other) and \(inode.nid)")
            }
            if let group = groupByNid[inode.nid], group != expected.inode {
                out.append("\(path): nid \(inode.nid) is shared by manifest inodes \(group) and \(expected.inode)")
            }
            nidByGroup[expected.inode] = inode.nid
            groupByNid[inode.nid] = expected.inode
        }
        return out
    }

    /// Checks an extracted folder against `manifest`: paths, types, modes, mtimes, sizes,
    /// contents, symlink targets; owners when `owners`. The folder's own attributes are skipped.
    /// Device nodes are expected only when `owners` (an extraction by root creates them).
    public static func differences(extracted root: String, _ manifest: Manifest, owners: Bool) throws -> [String] {
        var manifest = manifest
        if !owners { manifest.entries = manifest.entries.filter { $0.value.type != "chardev" && $0.value.type != "blockdev" } }
        var out: [String] = []
        var found = Set<String>(["/"])
        for relative in (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? [] { found.insert("/" + relative) }
        for path in Set(manifest.entries.keys).subtracting(found).sorted() { out.append("missing in extraction: \(path)") }
        for path in found.subtracting(manifest.entries.keys).sorted() { out.append("not in manifest: \(path)") }
        for (path, expected) in manifest.entries.sorted(by: { $0.key < $1.key }) where path != "/" && found.contains(path) {
            let full = root + path
            var st = stat()
            guard lstat(full, &st) == 0 else { out.append("\(path): cannot lstat"); continue }
            let type: String
            switch st.st_mode & S_IFMT {
            case S_IFREG: type = "file"
            case S_IFDIR: type = "dir"
            case S_IFLNK: type = "symlink"
            case S_IFCHR: type = "chardev"
            case S_IFBLK: type = "blockdev"
            case S_IFIFO: type = "fifo"
            case S_IFSOCK: type = "socket"
            default: type = "?"
            }
            if type != expected.type { out.append("\(path): type expected \(expected.type) got \(type)"); continue }
            if type != "symlink" && Int(st.st_mode & 0o7777) != expected.mode {
                out.append("\(path): mode expected \(String(expected.mode, radix: 8)) got \(String(Int(st.st_mode & 0o7777), radix: 8))")
            }
            if owners && (Int(st.st_uid) != expected.uid || Int(st.st_gid) != expected.gid) {
                out.append("\(path): owner expected \(expected.uid):\(expected.gid) got \(st.st_uid):\(st.st_gid)")
            }
            if type != "symlink", let mtime = expected.mtime, st.st_mtim.tv_sec != mtime {
                out.append("\(path): mtime expected \(mtime) got \(st.st_mtim.tv_sec)")
            }
            if type == "file" {
                if let size = expected.size, Int(st.st_size) != size { out.append("\(path): size expected \(size) got \(st.st_size)") }
                let sha = try Hex.sha256(file: full)
                if sha != expected.sha256 { out.append("\(path): sha256 expected \(expected.sha256 ?? "nil") got \(sha)") }
            }
            if type == "symlink" && linkTarget(full) != expected.target {
                out.append("\(path): target expected \(expected.target ?? "nil") got \(linkTarget(full))")
            }
        }
        return out
    }
}

/// readlink(2) for any length.
func linkTarget(_ path: String) -> String {
    var buffer = [CChar](repeating: 0, count: 8192)
    let n = readlink(path, &buffer, buffer.count)
    guard n >= 0 else { return "" }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
