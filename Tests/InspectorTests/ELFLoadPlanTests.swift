import Foundation
import XCTest
@testable import Inspector

/// The loader plan on real objects of this machine (checked against readelf's view) and on
/// garbage (never traps, gives nil or a bounded plan).
final class ELFLoadPlanTests: XCTestCase {
    static func plan(_ path: String) throws -> ELFLoadPlan? {
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("\(path) not present") }
        let bytes = [UInt8](data)
        return ELFLoadPlan.make(size: UInt64(bytes.count)) { off, n in
            guard off < UInt64(bytes.count) else { return nil }
            return Array(bytes[Int(off)..<min(bytes.count, Int(off) + n)])
        }
    }

    func testPythonExecutable() throws {
        let path = "/usr/bin/python3.11"
        guard let plan = try Self.plan(path) else { return XCTFail("python3.11 is ELF") }
        XCTAssertEqual(plan.interpreter, "/lib64/ld-linux-x86-64.so.2")
        XCTAssertTrue(plan.isExecutable)
        XCTAssertEqual(plan.pages.first, 0, "the ELF header is read first")
        let size = UInt64(FileManager.default.contents(atPath: path)!.count)
        XCTAssertTrue(plan.pages.allSatisfy { $0 * 4096 < size })
        XCTAssertEqual(Set(plan.pages).count, plan.pages.count, "each page once")
        XCTAssertFalse(plan.codeRanges.isEmpty)
        // The relocated data (GOT, .data.rel.ro, .data) lies in the last PT_LOAD; some of it is touched.
        let last = plan.loadRanges.max { $0.lowerBound < $1.lowerBound }!
        XCTAssertTrue(plan.pages.contains { last.contains($0) })
        XCTAssertLessThan(plan.pages.count, Int(size / 4096), "not every page")
    }

    func testSharedLibraryWithoutInterpreter() throws {
        let candidates = ["/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1"]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { throw XCTSkip("no libz") }
        guard let plan = try Self.plan(path) else { return XCTFail("libz is ELF") }
        XCTAssertNil(plan.interpreter)
        XCTAssertFalse(plan.isExecutable)
        XCTAssertGreaterThan(plan.pages.count, 3, "headers, dynamic, tables, relocated pages")
    }

    func testGarbageNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let header: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]
        for round in 0..<300 {
            var bytes = (0..<(64 + Int(rng.next() % 20000))).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if round % 2 == 0 { bytes.replaceSubrange(0..<8, with: header) }
            if round % 3 == 0 { bytes[16] = 3; bytes[56] = UInt8(rng.next() % 12) } // ET_DYN, a few phdrs
            let plan = ELFLoadPlan.make(size: UInt64(bytes.count)) { off, n in
                guard off < UInt64(bytes.count) else { return nil }
                return Array(bytes[Int(off)..<min(bytes.count, Int(off) + n)])
            }
            if let plan { XCTAssertTrue(plan.pages.allSatisfy { $0 * 4096 < UInt64(bytes.count) }) }
        }
        XCTAssertNil(ELFLoadPlan.make(size: 10) { _, _ in [0x7f, 0x45] })
        XCTAssertNil(ELFLoadPlan.make(size: 4096) { _, n in [UInt8](repeating: 0, count: n) })
    }
}
