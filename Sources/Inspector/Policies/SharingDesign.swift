/// The page cache sharing designs erofs-top compares.
public enum SharingDesign: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// Today's kernel: every inode of every mounted image has its own page cache.
    case none
    /// The 2023 fscache share-domain RFC: single-chunk regular files are cached in their blob's
    /// address space, keyed by (domain, blob tag, byte address in the blob).
    case blob
    /// Linux 7.0 `inode_share`: regular files with equal fingerprint xattrs (and sizes, and the
    /// same address-space operations) share one page cache.
    case inode
    /// The ideal: pages keyed by their content; the upper bound for any design.
    case chunk
    /// The baseline below today's layer sharing: every container has private copies of all its
    /// files (per-container merged or flattened images), even of layers or images it shares.
    case flat

    /// The designs compared by default: none, blob, inode, chunk (`flat` is added for layer stacks).
    public static let standard: [SharingDesign] = [.none, .blob, .inode, .chunk]

    public var description: String { rawValue }

    /// One-line explanation for tables and help screens.
    public var summary: String {
        switch self {
        case .none: return "no sharing (today's kernel)"
        case .blob: return "blob share domain (2023 fscache RFC)"
        case .inode: return "inode fingerprint sharing (Linux 7.0 inode_share)"
        case .chunk: return "ideal page-content dedup (upper bound)"
        case .flat: return "private copies per container (flattened images)"
        }
    }
}
