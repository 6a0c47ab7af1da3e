extension Array where Element: BitwiseCopyable {
    /// Makes this array equal to `other` by copying into its own buffer when that buffer is not
    /// shared and has room: a restored replay state is then copied once, into memory the
    /// process already touched, instead of being shared and copied on the first change into a
    /// newly allocated buffer (a page fault per 4 KiB, and a free of the old one).
    mutating func overwrite(with other: [Element]) {
        let same = withUnsafeBufferPointer { mine in other.withUnsafeBufferPointer { $0.baseAddress == mine.baseAddress } }
        if same { return }
        removeAll(keepingCapacity: true)
        append(contentsOf: other)
    }
}

extension Array {
    /// ``overwrite(with:)`` for each row of a table.
    mutating func overwriteRows<Row: BitwiseCopyable>(with other: [[Row]]) where Element == [Row] {
        if count > other.count { removeLast(count - other.count) }
        for r in other.indices {
            if r < count { self[r].overwrite(with: other[r]) } else { append(other[r]) }
        }
    }
}
