import EROFS
import Foundation
import Inspector

/// Which pages of a mounted image's files are in the page cache now, read with mincore(2)
/// through the mount (each file mapped read-only, never touched).
///
/// mincore tells the truth only to a caller that owns the file or may write to it; for anyone
/// else the kernel reports every page resident (mm/mincore.c, `can_do_mincore`). On a read-only
/// EROFS mount nobody may write, so without root only the caller's own files are measured; the
/// others are counted in `unmeasuredFiles` and left at zero.
public struct ResidencyScan: Sendable {
    /// Resident pages per catalog entry (regular files; 0 for the rest).
    public var residentPages: [UInt32]
    /// Resident pages summed over each directory's subtree (per catalog entry).
    public var subtreePages: [UInt64]
    /// Files that could not be measured (not the caller's without root, or not openable).
    public var unmeasuredFiles = 0
    /// Files measured.
    public var measuredFiles = 0
    /// Whether the mount point could be reached at all (false: it is gone).
    public var reachable = true

    public var residentBytes: UInt64 { (subtreePages.first ?? 0) * UInt64(ResidencyScan.pageSize) }

    public static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Scans every regular file of `catalog` through `mountPoint`.
    /// `resident` is called with each file (catalog entry) that has resident pages and its
    /// mincore vector.
    public static func scan(_ catalog: ImageCatalog, mountPoint: String, privileged: Bool,
                            resident: ((Int, [UInt8]) -> Void)? = nil) -> ResidencyScan {
        let entries = catalog.entries
        var scan = ResidencyScan(residentPages: Array(repeating: 0, count: entries.count), subtreePages: Array(repeating: 0, count: entries.count))
        var root = stat()
        guard stat(mountPoint, &root) == 0, UInt64(root.st_ino) == catalog.image.rootNID else {
            scan.reachable = false
            return scan
        }
        let uid = geteuid()
        for (i, e) in entries.enumerated() where e.type == .regular && e.size > 0 {
            guard let vector = pages(of: mountPoint + e.path, size: e.size, requireOwner: privileged ? nil : uid) else {
                scan.unmeasuredFiles += 1
                continue
            }
            scan.measuredFiles += 1
            scan.residentPages[i] = UInt32(vector.reduce(0) { $0 + Int($1 & 1) })
            if scan.residentPages[i] > 0 { resident?(i, vector) }
        }
        // Entries are stored parents before children: sum bottom-up.
        for i in stride(from: entries.count - 1, through: 0, by: -1) {
            scan.subtreePages[i] += UInt64(scan.residentPages[i])
            if i > 0 { scan.subtreePages[entries[i].parent] += scan.subtreePages[i] }
        }
        return scan
    }

    /// One byte per page of the file (bit 0: resident), nil when it cannot be measured truthfully.
    public static func pages(of path: String, size: UInt64, requireOwner uid: uid_t?) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        if let uid, st.st_uid != uid { return nil }
        let length = Int(min(UInt64(st.st_size), size == 0 ? UInt64(st.st_size) : max(size, UInt64(st.st_size))))
        guard length > 0 else { return [] }
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, length) }
        var vector = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
        guard mincore(map, length, &vector) == 0 else { return nil }
        return vector
    }
}
