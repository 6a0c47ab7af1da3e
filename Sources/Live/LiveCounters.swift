import Foundation
import Workload

/// Hits and misses of one mount counted from the kernel's events the way cachestat does:
/// misses are pages added to the page cache, accesses are pages a read, a fault or a map-around
/// asked for, and hits are accesses that were not misses (never negative per interval).
public struct CacheCounts: Sendable, Equatable {
    public var accesses: UInt64 = 0
    public var misses: UInt64 = 0
    /// Of the misses: pages of directories and filesystem metadata (not regular files' data).
    public var metadataMisses: UInt64 = 0
    public var hits: UInt64 { accesses > misses ? accesses - misses : 0 }

    public init(accesses: UInt64 = 0, misses: UInt64 = 0, metadataMisses: UInt64 = 0) {
        self.accesses = accesses; self.misses = misses; self.metadataMisses = metadataMisses
    }

    public var hitRate: Double { accesses == 0 ? .nan : Double(hits) / Double(hits + misses) }
}

/// Per-mount counters, for the whole run and since the last sample.
public struct MountCounters: Sendable {
    public var total = CacheCounts()
    public var interval = CacheCounts()
    /// Hits summed interval by interval (each clamped at zero, as cachestat prints them).
    public var totalHits: UInt64 = 0
    public var totalMisses: UInt64 = 0
    public var events = 0

    mutating func add(accesses: UInt64 = 0, misses: UInt64 = 0, metadata: Bool = false) {
        total.accesses += accesses; total.misses += misses
        interval.accesses += accesses; interval.misses += misses
        if metadata { total.metadataMisses += misses; interval.metadataMisses += misses }
    }

    /// Closes the interval: its counts go to the totals and a new one starts.
    mutating func closeInterval() -> CacheCounts {
        let done = interval
        totalHits += done.hits
        totalMisses += done.misses
        interval = CacheCounts()
        return done
    }
}

/// Which `mm_filemap_get_pages` events continue a read already counted: the kernel logs one per
/// batch of folios, each with the range still to read (`0…255`, then `17…255`); only the first
/// stands for the read (same rule as the replay's binder).
struct ReadContinuations {
    struct Key: Hashable { var pid: Int32?; var device: String; var nid: UInt64 }
    private var last: [Key: (first: UInt64, last: UInt64)] = [:]

    mutating func isContinuation(_ key: Key, first: UInt64, last end: UInt64) -> Bool {
        defer {
            last[key] = (first, end)
            if last.count > 65536 { last.removeAll() }
        }
        guard let previous = last[key] else { return false }
        return end == previous.last && first > previous.first
    }
}
