/// The what-if settings of the page cache model, as the knobs panel edits them.
public struct ModelKnobs: Equatable, Sendable {
    /// Which pages of a mapped file a container's `mmap` touches.
    public enum MmapTouch: String, CaseIterable, Equatable, Sendable {
        /// Mapping alone reads nothing.
        case none
        /// The first page of the mapping is faulted in.
        case first
        /// Every page of the mapping is faulted in.
        case all
    }

    /// The block device's readahead window (`read_ahead_kb`).
    public var readaheadKB: Int
    /// Pages mapped around a fault (`fault_around_bytes` / 1024).
    public var faultAroundKB: Int
    /// Page cache size in MiB with LRU eviction; nil for unbounded.
    public var cacheMB: Int?
    /// Each image in its own share domain (`domain_id`) rather than one domain for all.
    public var separateDomains: Bool
    public var mmapTouch: MmapTouch

    public init(readaheadKB: Int, faultAroundKB: Int, cacheMB: Int? = nil,
                separateDomains: Bool = false, mmapTouch: MmapTouch = .none) {
        self.readaheadKB = readaheadKB
        self.faultAroundKB = faultAroundKB
        self.cacheMB = cacheMB
        self.separateDomains = separateDomains
        self.mmapTouch = mmapTouch
    }
}

extension DashboardDataSource {
    /// By default a source has no model settings (the live view).
    public var knobs: ModelKnobs? { nil }

    /// By default a source cannot change its settings.
    public func apply(knobs: ModelKnobs) throws -> String? { "knobs not available" }
}
