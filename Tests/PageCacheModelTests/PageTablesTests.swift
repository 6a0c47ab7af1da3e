import DeterministicRandom
import XCTest
@testable import PageCacheModel

/// `PageTables` keeps every space's index in one pool: runs that grow move to its end and the
/// holes are squeezed out later, far indices go to a shared dictionary and are taken back into
/// a run that grows over them. Checked against a plain dictionary per space.
final class PageTablesTests: XCTestCase {
    /// Random sets and clears over many spaces, near and far indices, with a copy taken midway
    /// (as a saved replay state is) that must not see later changes.
    func testMatchesADictionaryPerSpace() {
        var tables = PageTables()
        var expected: [[UInt64: Int32]] = []
        var random = SplitMix64(seed: 29)
        var saved: (PageTables, [[UInt64: Int32]])?
        for step in 0..<200_000 {
            if expected.isEmpty || (expected.count < 300 && Int.random(in: 0..<100, using: &random) == 0) {
                XCTAssertEqual(tables.addSpace(), expected.count)
                expected.append([:])
            }
            let space = Int.random(in: 0..<expected.count, using: &random)
            let index: UInt64
            switch Int.random(in: 0..<10, using: &random) {
            case 0: index = UInt64.random(in: 0..<(1 << 32), using: &random)      // far: the dictionary
            case 1: index = UInt64.random(in: 0..<(1 << 16), using: &random)      // past the run, often
            default: index = UInt64.random(in: 0..<2_000, using: &random)        // near: the run
            }
            if Int.random(in: 0..<4, using: &random) == 0 {
                tables.set(-1, space: space, at: index)
                expected[space][index] = nil
            } else {
                let slot = Int32(step)
                tables.set(slot, space: space, at: index)
                expected[space][index] = slot
            }
            if step == 100_000 { saved = (tables, expected) }
        }
        func check(_ tables: PageTables, _ expected: [[UInt64: Int32]], _ what: String) {
            for (space, pages) in expected.enumerated() {
                for (index, slot) in pages { XCTAssertEqual(tables.slot(space, at: index), slot, "\(what): space \(space) page \(index)") }
                for index in 0..<2_100 where pages[UInt64(index)] == nil {
                    XCTAssertEqual(tables.slot(space, at: UInt64(index)), -1, "\(what): space \(space) page \(index) should be empty")
                }
            }
        }
        check(tables, expected, "at the end")
        check(saved!.0, saved!.1, "the copy taken midway")
    }

    /// Growing many spaces in turn moves runs and leaves holes; the pool must stay within a
    /// small factor of the entries in use (the squeeze), and every entry must survive it.
    func testHolesAreSqueezedOut() {
        var tables = PageTables()
        let spaces = 64
        for _ in 0..<spaces { _ = tables.addSpace() }
        for page in 0..<4_096 {
            for space in 0..<spaces { tables.set(Int32(space * 10_000 + page), space: space, at: UInt64(page)) }
        }
        let used = spaces * 4_096
        XCTAssertLessThanOrEqual(tables.pool.count, used * 3 / 2, "holes left in the pool")
        for space in 0..<spaces {
            for page in stride(from: 0, to: 4_096, by: 97) {
                XCTAssertEqual(tables.slot(space, at: UInt64(page)), Int32(space * 10_000 + page))
            }
        }
        tables.removeAll()
        XCTAssertEqual(tables.slot(3, at: 5), -1)
        XCTAssertEqual(tables.count, spaces)
    }
}
