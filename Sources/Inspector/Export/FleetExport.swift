import Foundation

/// Exports many units image-parallel: `jobs` workers each take the next unit, open its images
/// and write its tables, so a fleet export scales with cores and, one unit per file, with machines.
public enum FleetExport {
    /// The outcome of each unit, in the order given. `progress` is called (from a worker, one
    /// call at a time) as each unit finishes.
    public static func run(_ units: [ExportUnit], into folder: String, jobs: Int, options: ExportOptions,
                           progress: @escaping @Sendable (Result<ExportSummary, Error>) -> Void = { _ in }) -> [Result<ExportSummary, Error>] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(ExportSchema.json.utf8).write(to: URL(fileURLWithPath: folder + "/schema.json"), options: .atomic)
        } catch {
            return units.map { .failure(UnitError(unit: $0.name, underlying: error)) }
        }
        let state = State(count: units.count)
        let workers = max(1, min(jobs, units.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = state.next() {
                let result: Result<ExportSummary, Error>
                do {
                    result = .success(try ImageExporter(unit: units[index], options: options).run(into: folder))
                } catch {
                    result = .failure(UnitError(unit: units[index].name, underlying: error))
                }
                state.finish(index, result, progress)
            }
        }
        return state.results.map { $0! }
    }

    /// An error exporting one unit, naming it.
    public struct UnitError: Error, CustomStringConvertible {
        public var unit: String
        public var underlying: Error
        public var description: String { "export of \(unit): \(underlying)" }
    }

    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var position = 0
        var results: [Result<ExportSummary, Error>?]
        init(count: Int) { results = Array(repeating: nil, count: count) }

        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard position < results.count else { return nil }
            position += 1
            return position - 1
        }

        func finish(_ index: Int, _ result: Result<ExportSummary, Error>, _ progress: (Result<ExportSummary, Error>) -> Void) {
            lock.lock(); defer { lock.unlock() }
            results[index] = result
            progress(result)
        }
    }
}
