import Foundation

/// Wall-clock seconds each phase of opening a session took (for benchmarks and `--verbose`
/// style diagnostics); replay and reporting are timed by their callers.
public struct SessionTimings: Sendable, Equatable {
    /// Opening the images and their devices.
    public var openImages: Double = 0
    /// Walking every image into a catalog.
    public var catalogs: Double = 0
    /// Scanning every regular file for shared chunks and fingerprints.
    public var sharing: Double = 0
    /// Parsing the traces and building the time-ordered replay steps.
    public var timeline: Double = 0

    public init() {}

    /// The sum of the phases.
    public var total: Double { openImages + catalogs + sharing + timeline }

    /// Runs `body`, adding its duration to `phase`.
    mutating func measure<T>(_ phase: WritableKeyPath<SessionTimings, Double>, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { self[keyPath: phase] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }
}
