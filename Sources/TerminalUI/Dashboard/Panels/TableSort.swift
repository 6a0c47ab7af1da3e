/// A column a table can be sorted by.
protocol SortColumn: CaseIterable, Hashable where AllCases: RandomAccessCollection, AllCases.Index == Int {
    /// The direction a fresh sort on this column starts with (names A→Z,
    /// sizes largest first).
    var startsAscending: Bool { get }
}

extension SortColumn {
    var startsAscending: Bool { false }
}

/// A table's sort order: which of its sortable columns and which direction.
/// `<` and `>` move to the previous/next column, `s` reverses (as htop and ncdu).
struct TableSort<Column: SortColumn>: Hashable {
    var column: Column
    var ascending: Bool

    init(_ column: Column) {
        self.column = column
        self.ascending = column.startsAscending
    }

    /// Applies `<`, `>` or `s`; returns false for other keys.
    mutating func handle(_ key: Key) -> Bool {
        let all = Column.allCases
        guard let i = all.firstIndex(of: column) else { return false }
        switch key {
        case .char("<"): self = TableSort(all[(i + all.count - 1) % all.count])
        case .char(">"): self = TableSort(all[(i + 1) % all.count])
        case .char("s"): ascending.toggle()
        default: return false
        }
        return true
    }
}

/// Compares two values in a direction; nil when equal (fall through to a
/// tie-breaker, so the order is total and stable across frames).
@inline(__always)
func ordered<T: Comparable>(_ a: T, _ b: T, ascending: Bool) -> Bool? {
    if a == b { return nil }
    return ascending ? a < b : a > b
}
