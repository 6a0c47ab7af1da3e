/// The seed-style comparison of all sharing policies at once: how many bytes
/// of page cache each container added, in replay order, under each policy.
///
///     policy   base      app-v1   app-v2   total     saved
///     none     150 MB    150 MB   150 MB   450 MB    -
///     blob     150 MB      7 MB     7 MB   164 MB    286 MB
public struct PolicyComparison: Hashable, Sendable {
    /// Column titles: container names.
    public var containers: [String]
    public var rows: [Row]

    public init(containers: [String] = [], rows: [Row] = []) {
        self.containers = containers
        self.rows = rows
    }

    public struct Row: Hashable, Sendable {
        public var policy: String
        /// Bytes each container added to the page cache (one per container).
        public var addedBytes: [Int64]
        /// Sum of `addedBytes`.
        public var totalBytes: Int64
        /// Bytes saved compared with `none` (0 for `none` itself).
        public var savedBytes: Int64
        /// Overall hit rate under this policy (0...1, nan before any access).
        public var hitRate: Double

        public init(policy: String, addedBytes: [Int64], savedBytes: Int64, hitRate: Double = .nan) {
            self.policy = policy
            self.addedBytes = addedBytes
            self.totalBytes = addedBytes.reduce(0, +)
            self.savedBytes = savedBytes
            self.hitRate = hitRate
        }
    }
}
