import DeterministicRandom
import XCTest
@testable import PageCacheModel

/// Saved replay states: a replay that goes back to a saved moment and on again ends exactly as
/// the straight replay did, and the saved moment is unchanged by what the replay does after it
/// (restoring copies into the simulator's own buffers, never into the saved state's).
final class CheckpointTests: XCTestCase {
    /// Step `n` of a fixed workload (open, read, pread, close; faults; page adds and deletes;
    /// a second container), the same whatever happened before it.
    private func step(_ n: Int, _ sim: CacheSimulator, _ files: [FileID], _ containers: [ContainerID]) {
        var rng = SplitMix64(seed: UInt64(n) &* 0x9E37_79B9 &+ 7)
        let c = containers.randomElement(using: &rng)!
        let f = files.randomElement(using: &rng)!
        sim.advance(to: Double(n) * 0.01)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0, 1, 2:
            let h = sim.open(c, f)
            sim.read(h, length: UInt64.random(in: 1...200_000, using: &rng))
            sim.pread(h, offset: UInt64.random(in: 0..<400_000, using: &rng), length: UInt64.random(in: 1...30_000, using: &rng))
            sim.close(h)
        case 3: sim.fault(c, f, page: UInt64.random(in: 0..<100, using: &rng))
        case 4: sim.pageAdd(c, f, page: UInt64.random(in: 0..<100, using: &rng), count: 4)
        default: sim.pageDelete(c, f, page: UInt64.random(in: 0..<100, using: &rng), count: 4)
        }
    }

    private struct Observed: Equatable {
        var keys: [PageKey]
        var totals: CacheTotals
        var containers: [ContainerStatistics]
    }

    private func observe(_ sim: CacheSimulator) -> Observed {
        let keys = sim.pagesByRecency()
        return Observed(keys: sim.configuration.capacityPages == nil ? keys.sorted { ($0.space, $0.index) < ($1.space, $1.index) } : keys,
                        totals: sim.cacheTotals, containers: sim.allContainerStatistics)
    }

    func testGoingBackAndOnAgainEndsAsTheStraightReplay() {
        for capacity in [nil, 300] as [Int?] {
            let fx = Fixture()
            let files = (0..<40).map { fx.addFile(pages: UInt64(1 + ($0 * 29) % 90)) }
            let sim = fx.simulator(CacheConfiguration(capacityPages: capacity))
            let containers = [sim.registerContainer(name: "a"), sim.registerContainer(name: "b")]
            var saved: [(Int, CacheSimulator.State, Observed)] = []
            for n in 0..<900 {
                if n % 150 == 0 { saved.append((n, sim.saveState(), observe(sim))) }
                step(n, sim, files, containers)
            }
            let end = observe(sim)
            // Back to each saved moment (latest first, then out of order), checking the moment
            // itself, then on to the end.
            for (moment, state, then) in saved.reversed() + [saved[2], saved[0], saved[4], saved[4]] {
                sim.restore(state)
                XCTAssertEqual(observe(sim), then, "restored moment \(moment), capacity \(String(describing: capacity))")
                for n in moment..<900 { step(n, sim, files, containers) }
                XCTAssertEqual(observe(sim), end, "replayed on from \(moment), capacity \(String(describing: capacity))")
                sim.assertInvariants()
            }
        }
    }
}
