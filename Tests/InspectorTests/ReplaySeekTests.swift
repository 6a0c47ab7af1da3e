import EROFS
import XCTest
@testable import Inspector

/// Seeking re-simulates: the replay at event N is the same whichever way it got there.
final class ReplaySeekTests: XCTestCase {
    /// Seeks back and forth (from saved moments and from the start) against fresh replays of N steps.
    func testSeekingToEventNEqualsReplayingNStepsFromScratch() throws {
        for (config, designs) in [(SampleSessions.seedConfiguration(), SharingDesign.standard),
                                  (SampleSessions.stackConfiguration(), SampleSessions.stackDesigns)] {
            let seeking = try Session(config, designs: designs)
            let total = seeking.steps.count
            XCTAssertGreaterThan(total, 100)
            seeking.keepCheckpoints(every: max(1, total / 7))
            try seeking.run(steps: total * 2 / 3)
            let targets = [total / 2, 0, total / 7 + 1, total, total / 3, total / 7 * 2, 1, total - 1]
            for n in targets {
                try seeking.seek(toEvent: n)
                let fresh = try Session(config, designs: designs)
                try fresh.run(steps: n)
                XCTAssertNil(SampleSessions.difference(SampleSessions.observe(seeking), SampleSessions.observe(fresh)), "seek to \(n) of \(total), \(designs)")
            }
        }
    }

    /// Reads and drop-caches stay in the history at their position: a seek past them applies
    /// them, one before them leaves them out until the replay gets there again.
    func testUserActionsAreReplayedAtTheirPositions() throws {
        let config = SampleSessions.seedConfiguration()
        let seeking = try Session(config)
        let total = seeking.steps.count
        seeking.keepCheckpoints(every: max(1, total / 9))
        let catalog = seeking.catalogs[2]
        let big = try XCTUnwrap(catalog.regularFiles.max { catalog.entries[$0].size < catalog.entries[$1].size })
        let file = SessionFile(image: 2, nid: catalog.entries[big].nid)
        let plan: [(Int, UserAction.Kind)] = [(total / 4, .read(file, container: 2)), (total / 2, .dropCaches), (total / 2 + 5, .read(file, container: 0))]

        func replay(_ s: Session, to n: Int) throws {
            for (at, kind) in plan where at <= n {
                try s.run(steps: at - s.position)
                switch kind {
                case .read(let f, let c): XCTAssertTrue(try s.read(f, container: c))
                case .dropCaches: s.dropCaches()
                }
            }
            try s.run(steps: n - s.position)
        }
        try replay(seeking, to: total)
        XCTAssertEqual(seeking.userActions.map(\.position), plan.map(\.0))
        for n in [total / 4, total / 4 - 1, total / 2 + 3, 0, total / 2, total / 2 + 5, total * 3 / 4, total / 8] {
            try seeking.seek(toEvent: n)
            let fresh = try Session(config)
            try replay(fresh, to: n)
            XCTAssertNil(SampleSessions.difference(SampleSessions.observe(seeking), SampleSessions.observe(fresh)), "seek to \(n) of \(total)")
        }
        XCTAssertEqual(seeking.userActions.count, plan.count, "seeking does not change the history")
    }

    func testSeekToTimeAppliesEveryStepUpToThatTime() throws {
        let s = try Session(SampleSessions.seedConfiguration())
        let t = s.duration / 3
        try s.seek(toTime: t)
        XCTAssertTrue(s.steps[..<s.position].allSatisfy { $0.time <= t })
        XCTAssertTrue(s.steps[s.position...].allSatisfy { $0.time > t })
        try s.seek(toTime: -1)
        XCTAssertEqual(s.position, 0)
        try s.seek(toTime: s.duration + 1)
        XCTAssertTrue(s.isFinished)
    }

    func testDriverPacesStepsAndSeeks() throws {
        let s = try Session(SampleSessions.seedConfiguration())
        let driver = ReplayDriver(session: s, speed: 1)
        XCTAssertEqual(try driver.tick(now: 100), 0, "the first tick only starts the clock")
        let applied = try driver.tick(now: 100 + s.duration / 2)
        XCTAssertGreaterThan(applied, 0)
        XCTAssertTrue(s.steps[..<s.position].allSatisfy { $0.time <= s.duration / 2 + 1e-9 })
        try driver.seek(byFraction: -0.1)
        XCTAssertEqual(s.position, applied - Int((0.1 * Double(s.steps.count)).rounded()))
        XCTAssertTrue(try driver.step())
        XCTAssertTrue(driver.isPaused)
        let at = s.position
        XCTAssertEqual(try driver.tick(now: 200), 0, "paused")
        XCTAssertEqual(s.position, at)
        driver.togglePause()
        driver.faster()
        XCTAssertEqual(driver.speed, 2)
        try driver.seek(toEvent: 0)
        XCTAssertEqual(s.position, 0)
        XCTAssertEqual(s.report(), try Session(SampleSessions.seedConfiguration()).report())
    }
}
