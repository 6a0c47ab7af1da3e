import EROFS
import XCTest
@testable import Inspector

/// What-if settings changed while a session is open re-simulate to the same position.
final class ModelSettingsTests: XCTestCase {
    func testChangedSettingsEqualASessionOpenedWithThem() throws {
        let base = SampleSessions.seedConfiguration()
        let total = try Session(base).steps.count
        let changes: [(String, (inout ModelSettings) -> Void)] = [
            ("readahead 2560", { $0.readaheadKB = 2560 }),
            ("fault-around 16, mmap touch all", { $0.faultAroundKB = 16; $0.mmapTouch = .all }),
            ("cache 2 MiB", { $0.cacheMB = 2 }),
            ("separate domains", { $0.separateDomains = true }),
        ]
        for (name, change) in changes {
            for n in [total / 3, total] {
                let live = try Session(base)
                live.keepCheckpoints(every: max(1, total / 5))
                try live.run(steps: n)
                XCTAssertTrue(try live.read(SessionFile(image: 1, nid: live.catalogs[1].entries[live.catalogs[1].regularFiles[0]].nid), container: 1))
                var settings = live.modelSettings
                change(&settings)
                try live.apply(settings)
                XCTAssertEqual(live.modelSettings, settings, name)
                XCTAssertEqual(live.position, n, "\(name): back where it was")

                var config = base
                config.adopt(settings)
                let opened = try Session(config)
                try opened.run(steps: n)
                XCTAssertTrue(try opened.read(SessionFile(image: 1, nid: opened.catalogs[1].entries[opened.catalogs[1].regularFiles[0]].nid), container: 1))
                XCTAssertNil(SampleSessions.difference(SampleSessions.observe(live), SampleSessions.observe(opened)), "\(name) at \(n)")
                // Seeking after the change stays on the new settings.
                try live.seek(toEvent: n / 2)
                let half = try Session(config)
                try half.run(steps: n / 2)
                XCTAssertNil(SampleSessions.difference(SampleSessions.observe(live), SampleSessions.observe(half)), "\(name), seek to \(n / 2)")
            }
        }
    }

    func testSettingsChangeTheFigures() throws {
        let s = try Session(SampleSessions.seedConfiguration())
        try s.runToEnd()
        let before = s.report()
        var settings = s.modelSettings
        XCTAssertEqual(settings, ModelSettings(readaheadKB: 128, faultAroundKB: 64, cacheMB: nil, separateDomains: false, mmapTouch: .first))
        settings.readaheadKB = 2560
        try s.apply(settings)
        XCTAssertEqual(s.report().readaheadKB, 2560)
        XCTAssertGreaterThan(s.report().policies[0].chargedBytes, before.policies[0].chargedBytes, "a wider readahead reads more")
        let oneDomain = try XCTUnwrap(s.report().policies.first { $0.design == .blob }).chargedBytes
        settings.separateDomains = true
        try s.apply(settings)
        let separate = try XCTUnwrap(s.report().policies.first { $0.design == .blob }).chargedBytes
        XCTAssertGreaterThan(separate, oneDomain, "the base blob is no longer shared between the images")
        settings.cacheMB = 0
        XCTAssertThrowsError(try s.apply(settings))
        XCTAssertEqual(s.modelSettings.cacheMB, nil, "refused settings change nothing")
    }
}
