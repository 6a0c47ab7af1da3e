/// Several policies replayed over the same event stream in one pass.
///
/// Every operation is applied to one ``CacheSimulator`` per policy, in order; containers,
/// handles and mappings get the same IDs in all of them because they see the same calls.
///
/// ```swift
/// let multi = MultiPolicySimulator(configuration: config, files: files, spaces: spaces,
///                                  policies: [("none", noneResolver), ("blob", blobResolver)])
/// let c = multi.registerContainer(name: "tf-v1")
/// let fd = multi.open(c, file); multi.read(fd, length: 65536); multi.close(fd)
/// multi.savings(baseline: "none")   // bytes each policy saves against "none"
/// ```
public final class MultiPolicySimulator {
    /// The simulators, in the order the policies were given.
    public let simulators: [CacheSimulator]
    /// `simulators`, for calls that need not retain them.
    private let unretained: [Unmanaged<CacheSimulator>]

    /// Creates one simulator per `(name, resolver)`, all sharing `files` and `spaces`.
    public init(configuration: CacheConfiguration = CacheConfiguration(), files: FileRegistry, spaces: AddressSpaceRegistry,
                policies: [(name: String, resolver: any PageIdentityResolver)]) {
        simulators = policies.map {
            CacheSimulator(policy: $0.name, configuration: configuration, files: files, spaces: spaces, resolver: $0.resolver)
        }
        unretained = simulators.map { Unmanaged.passUnretained($0) }
    }

    /// The policy names, in order.
    public var policies: [String] { simulators.map(\.policy) }

    /// The simulator of `policy`, if any.
    public subscript(policy: String) -> CacheSimulator? { simulators.first { $0.policy == policy } }

    private func each<T: Equatable>(_ body: (CacheSimulator) -> T) -> T {
        var first: T?
        forEachSimulator { s in
            let value = body(s)
            if let f = first { assert(f == value, "policies disagree on an ID") } else { first = value }
        }
        return first!
    }

    /// Calls `body` with each simulator, in policy order, without retaining it (`simulators`
    /// keeps them alive): a retain and a release per policy per event were a tenth of a replay.
    @inline(__always)
    private func forEachSimulator(_ body: (CacheSimulator) -> Void) {
        for s in unretained { s._withUnsafeGuaranteedRef(body) }
    }

    /// Registers a container in every policy.
    @discardableResult
    public func registerContainer(name: String) -> ContainerID { each { $0.registerContainer(name: name) } }

    /// ``CacheSimulator/open(_:_:advice:)`` in every policy.
    public func open(_ container: ContainerID, _ file: FileID, advice: AccessAdvice = .normal) -> OpenFileID {
        each { $0.open(container, file, advice: advice) }
    }

    /// ``CacheSimulator/close(_:)`` in every policy.
    public func close(_ handle: OpenFileID) { forEachSimulator { s in s.close(handle) } }

    /// ``CacheSimulator/seek(_:to:)`` in every policy.
    public func seek(_ handle: OpenFileID, to offset: UInt64) { forEachSimulator { s in s.seek(handle, to: offset) } }

    /// ``CacheSimulator/read(_:offset:length:)`` in every policy; returns the bytes read.
    @discardableResult
    public func read(_ handle: OpenFileID, offset: UInt64? = nil, length: UInt64) -> UInt64 {
        each { $0.read(handle, offset: offset, length: length) }
    }

    /// ``CacheSimulator/pread(_:offset:length:)`` in every policy; returns the bytes read.
    @discardableResult
    public func pread(_ handle: OpenFileID, offset: UInt64, length: UInt64) -> UInt64 {
        each { $0.pread(handle, offset: offset, length: length) }
    }

    /// ``CacheSimulator/mmap(_:offset:length:advice:)`` in every policy.
    public func mmap(_ handle: OpenFileID, offset: UInt64 = 0, length: UInt64, advice: AccessAdvice = .normal) -> MappingID {
        each { $0.mmap(handle, offset: offset, length: length, advice: advice) }
    }

    /// ``CacheSimulator/munmap(_:)`` in every policy.
    public func munmap(_ mapping: MappingID) { forEachSimulator { s in s.munmap(mapping) } }

    /// ``CacheSimulator/fault(_:page:)`` in every policy.
    public func fault(_ mapping: MappingID, page: UInt64) { forEachSimulator { s in s.fault(mapping, page: page) } }

    /// ``CacheSimulator/touch(_:page:)`` in every policy.
    public func touch(_ mapping: MappingID, page: UInt64) { forEachSimulator { s in s.touch(mapping, page: page) } }

    /// ``CacheSimulator/fault(_:_:page:)`` in every policy.
    public func fault(_ container: ContainerID, _ file: FileID, page: UInt64) {
        forEachSimulator { s in s.fault(container, file, page: page) }
    }

    /// ``CacheSimulator/mapPages(_:_:pages:)`` in every policy.
    public func mapPages(_ container: ContainerID, _ file: FileID, pages: Range<UInt64>) {
        forEachSimulator { s in s.mapPages(container, file, pages: pages) }
    }

    /// ``CacheSimulator/readDirectory(_:_:)`` in every policy.
    public func readDirectory(_ container: ContainerID, _ file: FileID) { forEachSimulator { s in s.readDirectory(container, file) } }

    /// ``CacheSimulator/accessPages(_:_:pages:)`` in every policy.
    public func accessPages(_ container: ContainerID, _ file: FileID, pages: Range<UInt64>) {
        forEachSimulator { s in s.accessPages(container, file, pages: pages) }
    }

    /// ``CacheSimulator/pageAdd(_:_:page:count:)`` in every policy.
    public func pageAdd(_ container: ContainerID, _ file: FileID, page: UInt64, count: UInt64 = 1) {
        forEachSimulator { s in s.pageAdd(container, file, page: page, count: count) }
    }

    /// ``CacheSimulator/pageDelete(_:_:page:count:)`` in every policy.
    public func pageDelete(_ container: ContainerID, _ file: FileID, page: UInt64, count: UInt64 = 1) {
        forEachSimulator { s in s.pageDelete(container, file, page: page, count: count) }
    }

    /// ``CacheSimulator/removePages(where:)`` in every policy (keys differ between policies, so
    /// the predicate sees each policy's own keys).
    public func removePages(where predicate: (PageKey, ContainerID) -> Bool) {
        forEachSimulator { s in s.removePages(where: predicate) }
    }

    /// ``CacheSimulator/dropCaches()`` in every policy.
    public func dropCaches() { forEachSimulator { s in s.dropCaches() } }

    /// ``CacheSimulator/advance(to:)`` in every policy.
    public func advance(to time: Double) { forEachSimulator { s in s.advance(to: time) } }

    /// ``CacheSimulator/sampleNow()`` in every policy.
    public func sampleNow() { forEachSimulator { s in s.sampleNow() } }

    /// Each policy's whole-cache figures, in policy order.
    public var totals: [(policy: String, totals: CacheTotals)] { simulators.map { ($0.policy, $0.cacheTotals) } }

    /// What each policy saves against `baseline`, in policy order (nil if there is no such policy).
    public func savings(baseline: String) -> [PolicySavings]? {
        guard let base = self[baseline] else { return nil }
        return simulators.map { PolicySavings(policy: $0.policy, baseline: base, other: $0) }
    }
}

/// Page cache one policy saves against a baseline policy over the same workload.
public struct PolicySavings: Hashable, Sendable {
    /// The policy.
    public var policy: String
    /// The baseline policy.
    public var baseline: String
    /// Bytes the baseline added (cumulative).
    public var baselineAddedBytes: UInt64
    /// Bytes this policy added (cumulative).
    public var addedBytes: UInt64
    /// Per container (by ID): bytes added under the baseline and under this policy.
    public var containers: [(baseline: UInt64, policy: UInt64)] {
        zip(baselineContainerBytes, containerBytes).map { ($0, $1) }
    }
    /// Bytes added per container under the baseline.
    public var baselineContainerBytes: [UInt64]
    /// Bytes added per container under this policy.
    public var containerBytes: [UInt64]

    init(policy: String, baseline: CacheSimulator, other: CacheSimulator) {
        self.policy = other.policy
        self.baseline = baseline.policy
        self.baselineAddedBytes = baseline.cacheTotals.addedBytes
        self.addedBytes = other.cacheTotals.addedBytes
        self.baselineContainerBytes = baseline.allContainerStatistics.map(\.addedBytes)
        self.containerBytes = other.allContainerStatistics.map(\.addedBytes)
    }

    /// Bytes saved (negative when the policy uses more).
    public var savedBytes: Int64 { Int64(baselineAddedBytes) - Int64(addedBytes) }

    /// The saved fraction of the baseline, or nil when the baseline added nothing.
    public var savedFraction: Double? {
        baselineAddedBytes == 0 ? nil : Double(savedBytes) / Double(baselineAddedBytes)
    }
}
