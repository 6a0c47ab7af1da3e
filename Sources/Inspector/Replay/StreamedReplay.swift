import EROFS

/// The state of a replay that keeps no steps (`Session(keepSteps: false)`): where the clock is
/// and what the mmap estimate decided before every fault event was known.
struct StreamedReplay {
    /// Replay time of the last step applied.
    var clock: Double?
    /// Files whose mappings were estimated because no fault event of theirs had been seen yet.
    var estimated: Set<SessionFile> = []
    /// Set once a program mapping was estimated (its interpreter's faults were judged too).
    var estimatedProgram = false
    /// Set when a fault event arrived for a file already judged without any: the streamed
    /// replay then differs from a stored one and must be redone with all steps known.
    var invalidated = false

    /// Whether the configuration's workload can be replayed as read: traces only, each bound
    /// once (not replayed in each container in turn).
    static func canStream(_ configuration: SessionConfiguration) -> Bool {
        configuration.builtinWorkloads.isEmpty && !configuration.traces.isEmpty &&
            configuration.traces.allSatisfy { !($0.eachContainerInTurn && $0.devices.isEmpty) }
    }
}
