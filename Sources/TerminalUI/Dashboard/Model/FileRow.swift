/// One entry of a directory in the Files panel.
public struct FileRow: Hashable, Sendable {
    public var id: EntryID
    public var name: String
    public var isDirectory: Bool
    /// Bytes of file data; for a directory, of its whole subtree.
    public var sizeBytes: Int64
    /// In how many other images the same content appears (0: not shared).
    /// For a directory: how many files below it are shared.
    public var sharedWith: Int
    /// Fraction of the data resident in the page cache (0...1).
    public var cachedFraction: Double

    public init(id: EntryID, name: String, isDirectory: Bool = false, sizeBytes: Int64,
                sharedWith: Int = 0, cachedFraction: Double = 0) {
        self.id = id
        self.name = name
        self.isDirectory = isDirectory
        self.sizeBytes = sizeBytes
        self.sharedWith = sharedWith
        self.cachedFraction = cachedFraction
    }
}
