import Foundation
import Inspector
import TerminalUI

/// The dashboard's view of a session: Inspector's view model and replay driver, mapped to
/// TerminalUI's types. Nothing is computed here.
///
/// Ticks and actions throw the session's `ReplayFailure` (an image changed or could not be read
/// during the replay), which ends the UI; a file that cannot be read is a status message.
public final class SessionDashboard: DashboardDataSource {
    public let model: SessionViewModel
    public let driver: ReplayDriver
    private var sharedRows: [SharedRow] = []
    public var session: Session { model.session }

    public init(session: Session, speed: Double) {
        model = SessionViewModel(session: session)
        driver = ReplayDriver(session: session, speed: speed)
    }

    public var generation: UInt64 { model.generation }

    /// Marks every snapshot stale: the live view feeds the session itself.
    public func invalidate() { model.invalidate() }

    // MARK: Panels

    public var header: DashboardHeader {
        let f = model.figures
        return DashboardHeader(
            containers: session.containers.map { ContainerInfo(name: $0.name, image: $0.image) },
            images: f.images.map { ImageSummary(label: $0.label, root: EntryID(0), sizeBytes: Int64($0.sizeBytes), sharedFiles: $0.sharedFiles,
                                                        cachedFraction: $0.cachedFraction) },
            policy: f.design.rawValue, policies: session.designs.map(\.rawValue),
            replay: ReplayStatus(clock: f.clock, eventsDone: f.eventsDone, eventsTotal: f.eventsTotal,
                                 speed: driver.speed, paused: driver.isPaused, finished: f.isFinished),
            cacheUsedBytes: Int64(f.residentBytes), cacheCapacityBytes: f.capacityBytes.map { Int64($0) },
            savedBytes: Int64(f.savedBytes), hitRate: f.hitRate ?? .nan)
    }

    public func children(image: Int, of directory: EntryID) -> [FileRow] {
        model.children(image: image, of: Int(directory.rawValue)).map {
            FileRow(id: EntryID(UInt64($0.entry)), name: $0.name, isDirectory: $0.isDirectory, sizeBytes: Int64($0.sizeBytes),
                    sharedWith: $0.sharedWith, cachedFraction: $0.cachedFraction)
        }
    }

    public func ancestors(image: Int, of file: EntryID) -> [EntryID]? {
        model.ancestors(image: image, of: Int(file.rawValue))?.map { EntryID(UInt64($0)) }
    }

    public var blobs: [BlobRow] {
        model.blobs.map {
            var row = BlobRow(device: $0.device, tag: $0.tag, images: $0.images, sizeBytes: Int64($0.sizeBytes))
            row.containers = $0.containers
            row.cachedBytes = Int64($0.cachedBytes)
            return row
        }
    }

    /// Only the cached fractions of shared rows change: the rows are built once, then updated in place.
    public var shared: [SharedRow] {
        let groups = model.sharedGroups
        if sharedRows.count != groups.count {
            sharedRows = groups.map { g in
                var row = SharedRow(kind: g.kind == .chunk ? .chunk : .file, sizeBytes: Int64(g.sizeBytes),
                                    sharers: g.members.map { SharedFileRef(image: $0.image, path: $0.path, file: EntryID(UInt64($0.entry))) })
                row.cachedFraction = g.cachedFraction
                return row
            }
        } else {
            for (i, g) in groups.enumerated() where sharedRows[i].cachedFraction != g.cachedFraction {
                sharedRows[i].cachedFraction = g.cachedFraction
            }
        }
        return sharedRows
    }

    public func inodeMap(image: Int, file: EntryID) -> InodeMap? {
        guard let d = model.fileDetail(image: image, entry: Int(file.rawValue)) else { return nil }
        let extents = d.extents.map { e in
            InodeMap.Extent(logicalOffset: Int64(e.logicalOffset), length: Int64(e.length), device: e.device, deviceTag: e.deviceTag,
                            physicalAddress: Int64(e.physicalAddress), kind: Self.kind(e.kind))
        }
        return InodeMap(path: d.path, sizeBytes: Int64(d.sizeBytes), layout: d.layout, extents: extents, pages: d.pages.map(Self.page),
                        containerPages: d.containerPages.map { $0.map(Self.page) })
    }

    static func kind(_ k: FileDetail.Extent.Kind) -> InodeMap.Extent.Kind {
        switch k {
        case .plain: .plain
        case .chunk: .chunk
        case .inline: .inline
        case .compressed: .compressed
        case .hole: .hole
        }
    }

    static func page(_ p: FileDetail.Page) -> InodeMap.Page { InodeMap.Page(cachedBy: p.cachedBy, shared: p.isShared, sharedWith: p.sharedWith) }

    public var hitRates: HitRates {
        HitRates(sampleInterval: session.sampleInterval, series: model.hitRates.map {
            .init(container: $0.container, policy: $0.design.rawValue, samples: $0.samples.map { $0 ?? .nan }, overall: $0.overall ?? .nan)
        })
    }

    public var policyComparison: PolicyComparison {
        PolicyComparison(containers: session.containers.map(\.name), rows: model.comparison.map {
            .init(policy: $0.design.rawValue, addedBytes: $0.addedBytes.map { Int64($0) }, savedBytes: $0.savedBytes, hitRate: $0.hitRate ?? .nan)
        })
    }

    // MARK: Timeline and knobs

    public var timeline: TimelineInfo? {
        let t = model.timeline
        return TimelineInfo(duration: t.duration, clock: t.clock, eventsDone: t.eventsDone, eventsTotal: t.eventsTotal,
                            markers: t.markers.map { TimelineInfo.Marker(time: $0.time, event: $0.event, label: $0.label,
                                                                         kind: $0.kind == .containerStart ? .containerStart : .traceSource) })
    }

    public func seek(to target: SeekTarget) throws -> String? {
        defer { model.invalidate() }
        switch target {
        case .event(let n): try driver.seek(toEvent: n)
        case .time(let t): try driver.seek(toTime: t)
        case .relative(let fraction): try driver.seek(byFraction: fraction)
        }
        return String(format: "at event %d/%d, t=%.3f s", session.position, session.stepCount, session.clock)
    }

    public var knobs: ModelKnobs? {
        let s = session.modelSettings
        return ModelKnobs(readaheadKB: s.readaheadKB, faultAroundKB: s.faultAroundKB, cacheMB: s.cacheMB, separateDomains: s.separateDomains,
                          mmapTouch: ModelKnobs.MmapTouch(rawValue: s.mmapTouch.rawValue) ?? .first)
    }

    public func apply(knobs: ModelKnobs) throws -> String? {
        let settings = ModelSettings(readaheadKB: knobs.readaheadKB, faultAroundKB: knobs.faultAroundKB, cacheMB: knobs.cacheMB,
                                     separateDomains: knobs.separateDomains, mmapTouch: MmapTouch(rawValue: knobs.mmapTouch.rawValue) ?? .first)
        if let problem = settings.problem { return problem }
        defer { model.invalidate() }
        try driver.apply(settings)
        return "re-simulated to event \(session.position): readahead \(settings.readaheadKB) KB, fault-around \(settings.faultAroundKB) KB, cache " +
            (settings.cacheMB.map { "\($0) MB" } ?? "unbounded") + ", " + (settings.separateDomains ? "a domain per image" : "one domain") +
            ", mmap touch \(settings.mmapTouch.rawValue)"
    }

    // MARK: Replay

    public func tick(now: Double) throws {
        if try driver.tick(now: now) > 0 { model.invalidate() }
    }

    @discardableResult
    public func perform(_ action: DashboardAction) throws -> String? {
        defer { model.invalidate() }
        switch action {
        case .setPolicy(let name):
            guard let d = SharingDesign(rawValue: name), session.designs.contains(d) else { return "unknown policy \(name)" }
            model.design = d
            return "policy \(d.rawValue): \(d.summary)"
        case .read(let image, let file):
            return try model.read(image: image, entry: Int(file.rawValue))
        case .dropCaches:
            session.dropCaches()
            return "page cache dropped"
        case .togglePause:
            driver.togglePause()
            return driver.isPaused ? "paused" : "running"
        case .step:
            return try driver.step() ? "step \(session.position)/\(session.stepCount)" : "replay finished"
        case .faster:
            driver.faster()
            return String(format: "speed %gx", driver.speed)
        case .slower:
            driver.slower()
            return String(format: "speed %gx", driver.speed)
        }
    }
}
