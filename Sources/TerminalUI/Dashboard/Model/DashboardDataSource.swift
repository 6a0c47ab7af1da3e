/// What the dashboard needs from the engine: value snapshots to draw and a few
/// actions to perform. The Inspector session implements it in an adapter;
/// tests and the frame benchmark use fakes.
///
/// The screen queries only what is visible, at most once per drawn frame, and
/// draws only when `generation` changed or the user did something. Every
/// property and method should therefore be cheap: cache snapshots by
/// generation and return stored arrays (copy-on-write makes that O(1)).
///
/// Conventions:
/// - images and containers are zero-based indices into `header.images` and
///   `header.containers`; device 0 is an image's primary device;
/// - sizes are bytes; fractions are 0...1 (`.nan` when there is nothing to
///   measure, e.g. a hit rate before the first access);
/// - rows keep their order from one generation to the next unless the set of
///   rows changes (the screen keeps its sort order across replay ticks);
/// - `tick` and `perform` throw only when the dashboard cannot go on (e.g. the
///   replay's images can no longer be read): the loop ends, the terminal is
///   restored and `Dashboard.run` rethrows. A problem the user can work around
///   (one unreadable file) is a status message instead.
public protocol DashboardDataSource: AnyObject {
    /// Increases whenever anything the dashboard shows may have changed
    /// (replay progress, a policy change, a read, a cache drop).
    var generation: UInt64 { get }

    /// Containers, images, policy, replay state and cache totals.
    var header: DashboardHeader { get }

    /// The entries of a directory of one image, in any order (the screen
    /// sorts). `directory` is an image's `root` or a row's `id`.
    func children(image: Int, of directory: EntryID) -> [FileRow]

    /// The directories from the image's root down to the parent of `file`
    /// (root first; `[root]` for a file in the root), or nil if unknown. Used
    /// to open a file's folder when jumping from Shared chunks.
    func ancestors(image: Int, of file: EntryID) -> [EntryID]?

    /// Every device/blob of every image, primary devices included.
    var blobs: [BlobRow] { get }

    /// Chunks and whole files stored once and referenced more than once,
    /// within or across images.
    var shared: [SharedRow] { get }

    /// Where a regular file's data lives and which of its pages are cached;
    /// nil for directories and unknown files.
    func inodeMap(image: Int, file: EntryID) -> InodeMap?

    /// Hit-rate history per container and policy.
    var hitRates: HitRates { get }

    /// The seed-style table: page cache each container added under each
    /// policy, for all policies at once.
    var policyComparison: PolicyComparison { get }

    /// Advances the replay to the wall-clock time `now` (seconds, monotonic;
    /// the source applies its own speed and pause). Called on every loop
    /// iteration (about every 50 ms, and after each key), including while
    /// nothing else happens. Keep each call short (a few milliseconds): replay
    /// what fits and leave the rest for the next tick, so keys stay responsive
    /// during a replay of a million events.
    func tick(now: Double) throws

    /// Performs a user action. Returns a one-line result to show in the
    /// status bar (e.g. "read /usr/bin/python3: 212 pages, 12 misses"), or nil.
    @discardableResult
    func perform(_ action: DashboardAction) throws -> String?

    /// A key the dashboard itself does not use (e.g. the live view's `w`): a one-line
    /// result for the status bar, or nil when the source does not handle it either.
    func perform(key: Character) throws -> String?

    /// The replay's time axis for the timeline bar; nil from a source without
    /// one (the live view), which hides the bar. Default: nil.
    var timeline: TimelineInfo? { get }

    /// Moves the replay (re-simulating as needed) and returns a one-line
    /// status. Throws only as `tick` does. Default: "seek not available".
    @discardableResult
    func seek(to target: SeekTarget) throws -> String?

    /// The what-if model settings in force; nil when the source has none
    /// (the live view), which disables the knobs panel. Default: nil.
    var knobs: ModelKnobs? { get }

    /// Changes the model settings: the source re-simulates up to the current
    /// position, so every panel shows the effect. Returns a one-line status.
    /// Throws only as `tick` does. Default: "knobs not available".
    @discardableResult
    func apply(knobs: ModelKnobs) throws -> String?
}

extension DashboardDataSource {
    /// By default a source handles no keys of its own.
    public func perform(key: Character) throws -> String? { nil }
}

/// What the user can ask the engine to do from the dashboard.
public enum DashboardAction: Hashable, Sendable {
    /// Switch the active sharing policy (one of `header.policies`).
    case setPolicy(String)
    /// Read a whole file through the page cache model, as `cat` would, on
    /// behalf of the first container using that image.
    case read(image: Int, file: EntryID)
    /// Empty the page cache (like `echo 3 > /proc/sys/vm/drop_caches`).
    case dropCaches
    /// Pause or resume the replay.
    case togglePause
    /// Replay exactly one event (pauses first if running).
    case step
    /// Double the replay speed.
    case faster
    /// Halve the replay speed.
    case slower
}

/// Identifies a file or directory inside one image (e.g. its inode number).
public struct EntryID: Hashable, Sendable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt64) { self.rawValue = value }

    public static func < (a: EntryID, b: EntryID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}
