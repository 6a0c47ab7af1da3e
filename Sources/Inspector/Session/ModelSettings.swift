/// The model's what-if settings, changeable while a session is open (`Session.apply(_:)`).
public struct ModelSettings: Equatable, Sendable {
    /// Readahead window (the bdi's read_ahead_kb).
    public var readaheadKB: Int
    /// Fault-around window (fault_around_bytes / 1024).
    public var faultAroundKB: Int
    /// Page cache capacity in MiB (nil = unbounded; LRU eviction when set).
    public var cacheMB: Int?
    /// Every image in a share domain of its own (nothing shared between images) instead of one
    /// domain for all.
    public var separateDomains: Bool
    /// What a mapping of a non-ELF file without fault events touches.
    public var mmapTouch: MmapTouch

    public init(readaheadKB: Int = 128, faultAroundKB: Int = 64, cacheMB: Int? = nil, separateDomains: Bool = false, mmapTouch: MmapTouch = .first) {
        self.readaheadKB = readaheadKB; self.faultAroundKB = faultAroundKB; self.cacheMB = cacheMB
        self.separateDomains = separateDomains; self.mmapTouch = mmapTouch
    }

    /// Why these settings cannot be used (the CLI's option bounds), or nil.
    public var problem: String? {
        if readaheadKB < 0 || readaheadKB > 1 << 20 { return "readahead must be 0…1048576 KB" }
        if faultAroundKB < 4 || faultAroundKB > 1 << 16 { return "fault-around must be 4…65536 KB" }
        if let cacheMB, cacheMB < 1 || cacheMB > 1 << 24 { return "cache must be 1…16777216 MB" }
        return nil
    }
}

extension SessionConfiguration {
    /// The what-if settings of this configuration. `separateDomains` is true when every image
    /// has a domain of its own.
    public var modelSettings: ModelSettings {
        let domains = images.indices.map { imageDomains[$0] ?? "" }
        return ModelSettings(readaheadKB: readaheadKB, faultAroundKB: faultAroundKB, cacheMB: cacheMB,
                             separateDomains: images.count > 1 && Set(domains).count == images.count, mmapTouch: mmapTouch)
    }

    /// Takes `settings` over. Domains change only when `separateDomains` differs from what
    /// the configuration has (so `--domain` partitions survive other changes): true gives each
    /// image its own domain, false puts all in one.
    public mutating func adopt(_ settings: ModelSettings) {
        readaheadKB = settings.readaheadKB
        faultAroundKB = settings.faultAroundKB
        cacheMB = settings.cacheMB
        mmapTouch = settings.mmapTouch
        if settings.separateDomains != modelSettings.separateDomains {
            imageDomains = settings.separateDomains ? Dictionary(uniqueKeysWithValues: images.indices.map { ($0, "image\($0)") }) : [:]
        }
    }
}

extension Session {
    /// The what-if settings in force.
    public var modelSettings: ModelSettings { configuration.modelSettings }

    /// Changes the model's settings: a new, empty model is built with them and the replay
    /// re-simulated to where it was, user actions included. Throws `ReplayFailure` as `step()`
    /// does; settings with a `problem` are refused with a `SettingsError`.
    public func apply(_ settings: ModelSettings) throws {
        if let problem = settings.problem { throw SettingsError(reason: problem) }
        if let failure { throw failure }
        let target = position
        let keeping = checkpoints.interval
        configuration.adopt(settings)
        (registrar, simulator) = Self.makeModel(configuration, catalogs: catalogs, sharing: sharing, designs: designs,
                                                containers: containers, duration: steps.last?.time)
        checkpoints = ReplayCheckpoints(start: simulator.saveState())
        if keeping > 0 { checkpoints.enable(interval: keeping) }
        cursor = ReplayCursor()
        try arrive()
        while position < target { try step() }
    }
}

/// Settings a session cannot use.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
