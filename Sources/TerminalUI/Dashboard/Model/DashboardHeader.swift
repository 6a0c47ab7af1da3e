/// The top lines of the dashboard: who runs what, under which policy, how far
/// the replay got and how much page cache it costs.
public struct DashboardHeader: Hashable, Sendable {
    /// The containers, in replay order (container indices index this).
    public var containers: [ContainerInfo]
    /// The images (image indices index this).
    public var images: [ImageInfo]
    /// The active sharing policy, one of `policies`.
    public var policy: String
    /// Every policy, in the order `p` cycles through them (`none` first).
    public var policies: [String]
    public var replay: ReplayStatus
    /// Bytes of page cache in use under the active policy.
    public var cacheUsedBytes: Int64
    /// The modelled cache size, if limited.
    public var cacheCapacityBytes: Int64?
    /// Bytes the active policy saves compared with `none` (never negative).
    public var savedBytes: Int64
    /// Overall hit rate of all containers under the active policy (0...1, nan
    /// before the first access).
    public var hitRate: Double
    /// Shown instead of the replay state when set (the live view: refresh, residency method,
    /// what is missing).
    public var note: String?

    public init(containers: [ContainerInfo], images: [ImageInfo], policy: String, policies: [String],
                replay: ReplayStatus, cacheUsedBytes: Int64, cacheCapacityBytes: Int64? = nil,
                savedBytes: Int64, hitRate: Double) {
        self.containers = containers
        self.images = images
        self.policy = policy
        self.policies = policies
        self.replay = replay
        self.cacheUsedBytes = cacheUsedBytes
        self.cacheCapacityBytes = cacheCapacityBytes
        self.savedBytes = savedBytes
        self.hitRate = hitRate
    }

    /// The policy after the active one, wrapping around (what `p` selects).
    public var nextPolicy: String? {
        guard !policies.isEmpty else { return nil }
        guard let i = policies.firstIndex(of: policy) else { return policies[0] }
        return policies[(i + 1) % policies.count]
    }
}

/// A container: a name and the image it runs.
public struct ContainerInfo: Hashable, Sendable {
    public var name: String
    /// Index into `DashboardHeader.images`.
    public var image: Int

    public init(name: String, image: Int) {
        self.name = name
        self.image = image
    }
}

/// An image as the Files panel lists it at its top level.
public struct ImageInfo: Hashable, Sendable {
    /// A short label, e.g. the file name "requests-v1.erofs".
    public var label: String
    /// The root directory (pass to `children(image:of:)`).
    public var root: FileID
    /// Total bytes of file data.
    public var sizeBytes: Int64
    /// Files whose content also appears in another image.
    public var sharedFiles: Int
    /// Fraction of the image's file data resident in the page cache.
    public var cachedFraction: Double

    public init(label: String, root: FileID, sizeBytes: Int64, sharedFiles: Int = 0, cachedFraction: Double = 0) {
        self.label = label
        self.root = root
        self.sizeBytes = sizeBytes
        self.sharedFiles = sharedFiles
        self.cachedFraction = cachedFraction
    }
}

/// How far the replay got.
public struct ReplayStatus: Hashable, Sendable {
    /// Replay time in seconds (trace time, not wall time).
    public var clock: Double
    public var eventsDone: Int
    public var eventsTotal: Int
    /// Speed multiplier: 1 is real time.
    public var speed: Double
    public var paused: Bool
    /// All events replayed.
    public var finished: Bool

    public init(clock: Double = 0, eventsDone: Int = 0, eventsTotal: Int = 0, speed: Double = 1,
                paused: Bool = false, finished: Bool = false) {
        self.clock = clock
        self.eventsDone = eventsDone
        self.eventsTotal = eventsTotal
        self.speed = speed
        self.paused = paused
        self.finished = finished
    }

    /// Fraction of events replayed (0 when there are none).
    public var progress: Double {
        eventsTotal > 0 ? Double(eventsDone) / Double(eventsTotal) : 0
    }
}
