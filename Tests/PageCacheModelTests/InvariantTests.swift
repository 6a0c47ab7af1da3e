import DeterministicRandom
import XCTest
@testable import PageCacheModel


/// The model's invariants hold for every policy, with and without a capacity, over random
/// mixes of every operation.
final class InvariantTests: XCTestCase {
    func testInvariantsOverRandomWorkloads() {
        for capacity in [nil, 40] as [Int?] {
            let files = FileRegistry(), spaces = AddressSpaceRegistry()
            let none = TableResolver(), shared = TableResolver()
            let blob = spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: 0))
            var ids: [FileID] = []
            var base: UInt64 = 0
            for i in 0..<12 {
                let kind: FileKind = i == 0 ? .directory : (i == 1 ? .metadata : .regular)
                let size = UInt64(1 + (i * 37_123) % 300_000)
                let id = files.register(size: size, kind: kind)
                ids.append(id)
                none.placement[id] = (spaces.makeUnique(AddressSpaceDescriptor(kind: .inode, nid: UInt64(i))), 0)
                shared.placement[id] = kind == .regular ? (blob, base) : none.placement[id]!
                base += (size + 4095) / 4096
            }
            let config = CacheConfiguration(capacityPages: capacity, sampleInterval: 0.5)
            let multi = MultiPolicySimulator(configuration: config, files: files, spaces: spaces,
                                             policies: [("none", none), ("shared", shared)])
            let containers = [multi.registerContainer(name: "a"), multi.registerContainer(name: "b")]
            var rng = SplitMix64(seed: 42)
            var handles: [OpenFileID] = []
            var vmas: [(MappingID, UInt64)] = []
            var time = 0.0
            for step in 0..<3000 {
                let c = containers.randomElement(using: &rng)!
                let f = ids.randomElement(using: &rng)!
                let pagesInFile = files.pageCount(of: f, pageSize: 4096)
                time += Double.random(in: 0..<0.01, using: &rng)
                multi.advance(to: time)
                switch Int.random(in: 0..<12, using: &rng) {
                case 0, 1: handles.append(multi.open(c, f, advice: [.normal, .normal, .sequential, .random].randomElement(using: &rng)!))
                case 2, 3, 4:
                    if let h = handles.randomElement(using: &rng) { multi.read(h, length: UInt64.random(in: 1...70_000, using: &rng)) }
                case 5:
                    if let h = handles.randomElement(using: &rng) {
                        multi.pread(h, offset: UInt64.random(in: 0..<400_000, using: &rng), length: UInt64.random(in: 1...20_000, using: &rng))
                    }
                case 6:
                    if !handles.isEmpty {
                        let h = handles.remove(at: Int.random(in: 0..<handles.count, using: &rng))
                        if Bool.random(using: &rng) {
                            let pagesMapped = UInt64.random(in: 1...64, using: &rng)
                            vmas.append((multi.mmap(h, length: pagesMapped * 4096, advice: .normal), pagesMapped))
                        }
                        multi.close(h)
                    }
                case 7:
                    if let (vma, n) = vmas.randomElement(using: &rng) { multi.touch(vma, page: UInt64.random(in: 0..<n, using: &rng)) }
                case 8: multi.fault(c, f, page: UInt64.random(in: 0..<(pagesInFile + 2), using: &rng))
                case 9: multi.readDirectory(c, ids[0])
                case 10:
                    let p = UInt64.random(in: 0..<pagesInFile, using: &rng)
                    if Bool.random(using: &rng) { multi.pageAdd(c, f, page: p, count: 3) } else { multi.pageDelete(c, f, page: p, count: 3) }
                default:
                    if step % 500 == 0 { multi.dropCaches() } else { multi.accessPages(c, ids[1], pages: 0..<5) }
                }
                if step % 100 == 0 {
                    for s in multi.simulators { XCTAssertEqual(s.invariantViolations(), [], "step \(step) \(s.policy) capacity \(String(describing: capacity))") }
                }
            }
            for s in multi.simulators {
                s.assertInvariants()
                let t = s.cacheTotals
                let perContainer = s.allContainerStatistics
                XCTAssertEqual(perContainer.reduce(0) { $0 + $1.addedPages.total }, t.addedPages.total)
                XCTAssertEqual(perContainer.reduce(0) { $0 + $1.evictedPages }, t.evictedPages)
                let perFile = containers.flatMap { c in s.filesWithAddedPages(in: c).map(\.addedPages) }.reduce(0, +)
                XCTAssertEqual(perFile, t.addedPages.total)
                XCTAssertEqual(ids.reduce(0) { $0 + s.fileStatistics($1).addedPages }, t.addedPages.total)
                if capacity == nil { XCTAssertEqual(t.evictedPages, 0) }
                XCTAssertFalse(s.samples.isEmpty)
            }
        }
    }
}
