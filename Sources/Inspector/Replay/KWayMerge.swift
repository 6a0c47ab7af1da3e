/// Merges k sorted runs into one sorted sequence, ties going to the lower run (so merging the
/// runs of a stably sorted list gives exactly the stable sort of the whole). A binary heap of
/// the runs' heads: O(log k) per element, nothing copied.
public struct KWayMerge<Key: Comparable> {
    /// A sorted run: `count` elements, the j-th given by `element(j)`.
    public struct Run {
        public var count: Int
        public var element: (Int) -> Int
        public init(count: Int, element: @escaping (Int) -> Int) { self.count = count; self.element = element }
    }

    private let runs: [Run]
    private let key: (Int) -> Key
    /// Next position in each run.
    private var cursors: [Int]
    /// Runs with elements left, as a min-heap on (head's key, run index).
    private var heap: [(key: Key, run: Int)] = []

    public init(runs: [Run], key: @escaping (Int) -> Key) {
        self.runs = runs
        self.key = key
        cursors = Array(repeating: 0, count: runs.count)
        for (k, run) in runs.enumerated() where run.count > 0 { push((key(run.element(0)), k)) }
    }

    /// The next element in merged order, nil when every run is used up.
    public mutating func next() -> Int? {
        guard let top = heap.first else { return nil }
        let run = runs[top.run]
        let element = run.element(cursors[top.run])
        cursors[top.run] += 1
        if cursors[top.run] < run.count {
            heap[0] = (key(run.element(cursors[top.run])), top.run)
            siftDown(0)
        } else {
            let last = heap.removeLast()
            if !heap.isEmpty { heap[0] = last; siftDown(0) }
        }
        return element
    }

    @inline(__always) private func less(_ a: (key: Key, run: Int), _ b: (key: Key, run: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : a.run < b.run
    }

    private mutating func push(_ item: (key: Key, run: Int)) {
        heap.append(item)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(heap[l], heap[m]) { m = l }
            if r < heap.count, less(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
