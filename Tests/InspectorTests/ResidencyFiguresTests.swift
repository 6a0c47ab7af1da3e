import EROFS
import XCTest
@testable import Inspector

/// The view model keeps its residency figures up to date from the simulator's residency log;
/// they must equal the from-scratch computation after any sequence of replay steps, seeks,
/// user reads, dropped caches and new model settings, under every design.
final class ResidencyFiguresTests: XCTestCase {
    func testIncrementalFiguresEqualFromScratchOnTheSeedSession() throws {
        try check(SampleSessions.seedConfiguration(), seed: 0x5EED, rounds: 40)
    }

    func testIncrementalFiguresEqualFromScratchOnLayerStacksWithFlat() throws {
        try check(SampleSessions.stackConfiguration(), designs: SampleSessions.stackDesigns, seed: 0xF1A7, rounds: 30)
    }

    /// The same with the totals summed again at every update (the path large seeks take).
    func testFiguresSummedAgainEveryUpdateEqualFromScratch() throws {
        let threshold = ResidencyFigures.resumThreshold
        ResidencyFigures.resumThreshold = 0
        defer { ResidencyFigures.resumThreshold = threshold }
        try check(SampleSessions.seedConfiguration(), seed: 0x5EED5, rounds: 30)
        try check(SampleSessions.stackConfiguration(), designs: SampleSessions.stackDesigns, seed: 0xF1A75, rounds: 20)
    }

    private func check(_ config: SessionConfiguration, designs: [SharingDesign] = SharingDesign.standard, seed: UInt64, rounds: Int) throws {
        let session = try Session(config, designs: designs)
        cachedSeen = []
        let total = session.stepCount
        XCTAssertGreaterThan(total, 10, "the scenario has a replay to move through")
        session.keepCheckpoints(every: max(1, total / 6))
        // One model per design, so each keeps following the session across the operations.
        let models = session.designs.map { SessionViewModel(session: session, design: $0) }
        // And one that switches designs as the user does with the design key: a design shown
        // again goes on from the figures it had.
        let switching = SessionViewModel(session: session, design: session.designs[0])
        var rng = SplitMix(seed)
        var operations: Set<String> = []
        for round in 0..<rounds {
            let op: String
            switch rng.next() % 10 {
            case 0, 1, 2, 3:
                op = "forward"
                try session.seek(toEvent: min(total, session.position + 1 + Int(rng.next() % UInt64(max(1, total / 8)))))
            case 4:
                op = "back"
                try session.seek(toEvent: Int(rng.next() % UInt64(max(1, session.position + 1))))
            case 5, 6:
                op = "read"
                let image = Int(rng.next() % UInt64(session.catalogs.count))
                let regular = session.catalogs[image].entries.indices.filter { session.catalogs[image].entries[$0].type == .regular }
                _ = try models[Int(rng.next() % UInt64(models.count))].read(image: image, entry: regular[Int(rng.next() % UInt64(regular.count))])
            case 7:
                op = "drop"
                session.dropCaches()
            default:
                op = "settings"
                var settings = session.modelSettings
                settings.cacheMB = [nil, 1, 2, 4][Int(rng.next() % 4)]
                settings.readaheadKB = [16, 64, 128][Int(rng.next() % 3)]
                try session.apply(settings)
            }
            operations.insert(op)
            for model in models {
                model.invalidate()
                compare(model, "round \(round) after \(op) at \(session.position)")
            }
            switching.design = session.designs[Int(rng.next() % UInt64(session.designs.count))]
            switching.invalidate()
            compare(switching, "switching to \(switching.design) in round \(round) after \(op)")
        }
        // Small caches evict: the removal path of the log is exercised too.
        var small = session.modelSettings
        small.cacheMB = 1
        try session.apply(small)
        try session.seek(toEvent: 0)
        for model in models { model.invalidate(); compare(model, "at 0 with 1 MiB") }
        while session.position < total {
            try session.seek(toEvent: min(total, session.position + max(1, total / 5)))
            for model in models { model.invalidate(); compare(model, "1 MiB at \(session.position)") }
        }
        // Seeks back keep the figures (the files not used yet at the new position stop counting,
        // the known pages are re-checked): back in steps, forward and back again, with a read
        // between, under a small cache and without a limit.
        for cacheMB in [1, nil] {
            var settings = session.modelSettings
            settings.cacheMB = cacheMB
            try session.apply(settings)
            for target in [total, total * 3 / 4, total / 2, total / 2 + 1, total / 5, total, 1, 0, total / 3] {
                try session.seek(toEvent: target)
                if target == total / 2 + 1 {
                    let regular = session.catalogs[0].entries.indices.filter { session.catalogs[0].entries[$0].type == .regular }
                    _ = try models[0].read(image: 0, entry: regular[regular.count / 2])
                }
                for model in models { model.invalidate(); compare(model, "\(cacheMB.map { "\($0) MiB" } ?? "no limit"): seek to \(target)") }
            }
        }
        XCTAssertEqual(cachedSeen, Set(session.designs), "designs seen with cached files (the comparisons compared something)")
        XCTAssertTrue(operations.isSuperset(of: ["forward", "read", "settings"]), "operations tried: \(operations)")
    }

    private var cachedSeen: Set<SharingDesign> = []

    private func compare(_ model: SessionViewModel, _ context: String) {
        let session = model.session, design = model.design
        if model.residency.contains(where: { !$0.residentPages.isEmpty }) { cachedSeen.insert(design) }
        XCTAssertEqual(model.residency, session.residencySnapshot(design: design), "\(design) \(context): per-entry residency")
        let bytes = session.residentBytesByBlob(design: design)
        for blob in model.blobs {
            XCTAssertEqual(blob.cachedBytes, bytes[blob.name] ?? 0, "\(design) \(context): blob \(blob.tag)")
        }
        for (group, usage) in zip(session.sharing.groups, model.sharedGroups) {
            let files = group.sharers.map { SessionFile(image: $0.image, nid: session.catalogs[$0.image].entries[$0.entry].nid) }
            let pages = files.reduce(UInt64(0)) { $0 + session.residentPages(of: $1, design: design) }
            let total = UInt64(files.count) * ((max(group.length, 1) + 4095) / 4096)
            XCTAssertEqual(usage.cachedFraction, total == 0 ? 0 : min(1, Double(pages) / Double(total)), "\(design) \(context): shared group")
        }
        let figures = model.figures
        for (i, catalog) in session.catalogs.enumerated() {
            let cached = session.residencySnapshot(design: design)[i].residentPages[0] ?? 0
            let pages = catalog.entries[0].subtreePages
            XCTAssertEqual(figures.images[i].cachedFraction, pages == 0 ? 0 : min(1, Double(cached) / Double(pages)), "\(design) \(context): image \(i)")
        }
    }
}

/// A small deterministic generator for the operation sequences.
private struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
