import Foundation
import PageCacheModel

/// Benchmarks of the page-cache model alone, on synthetic files and resolvers (no images):
/// replay throughput over many files and policies, page events per second, memory per page.
struct CacheModelBenchmarks {
    /// Per-file spaces, one per (container, file): the "none" shape.
    final class PerInode: PageIdentityResolver {
        var spaces: [[AddressSpaceID]] = []
        func pageKey(container: ContainerID, file: FileID, page: UInt64) -> PageKey {
            PageKey(space: spaces[Int(container.rawValue)][Int(file.rawValue)], index: page)
        }
    }

    /// Every file at an offset of one shared blob: the "blob" shape.
    final class InBlob: PageIdentityResolver {
        let space: AddressSpaceID
        var base: [UInt64] = []
        init(space: AddressSpaceID) { self.space = space }
        func pageKey(container: ContainerID, file: FileID, page: UInt64) -> PageKey {
            PageKey(space: space, index: base[Int(file.rawValue)] + page)
        }
    }

    func run(files fileCount: Int = 100_000, events: Int = 1_000_000) {
        print("page-cache model benchmarks")
        memoryPerPage(pages: 10_000_000) // first, before freed memory can hide growth in RSS
        replay(fileCount: fileCount, events: events)
        pageEvents(count: 5_000_000)
    }

    func replay(fileCount: Int, events: Int) {
        // A seeded generator: the same workload every run, and no getrandom system call per
        // number (SystemRandomNumberGenerator: about 8 % of this suite's profile, in the kernel).
        var rng = SplitMix(seed: 15)
        let files = FileRegistry(), spaces = AddressSpaceRegistry()
        let none = PerInode(), blob = InBlob(space: spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: 0)))
        none.spaces = [[], [], []]
        var ids: [FileID] = []
        var offset: UInt64 = 0
        for i in 0..<fileCount {
            let size = UInt64.random(in: 1...(i % 10 == 0 ? 4_000_000 : 64_000), using: &rng)
            ids.append(files.register(size: size, image: 0, nid: UInt64(i)))
            for c in 0..<3 { none.spaces[c].append(spaces.makeUnique(AddressSpaceDescriptor(kind: .inode, image: c, nid: UInt64(i)))) }
            blob.base.append(offset)
            offset += (size + 4095) / 4096
        }
        let multi = MultiPolicySimulator(files: files, spaces: spaces, policies: [("none", none), ("blob", blob)])
        let containers = (0..<3).map { multi.registerContainer(name: "c\($0)") }
        let start = Date()
        var done = 0
        while done < events {
            let f = ids[Int.random(in: 0..<fileCount, using: &rng)]
            let fd = multi.open(containers[done % 3], f)
            if done % 3 == 0 {
                var n = 0
                while n < 16 && multi.read(fd, length: 16_384) > 0 { n += 1; done += 1 }
            } else {
                for _ in 0..<4 {
                    multi.pread(fd, offset: UInt64.random(in: 0..<files[f].size, using: &rng), length: 4096)
                    done += 1
                }
            }
            multi.close(fd)
            done += 1
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "replay: %d read events over %d files, 3 containers, 2 policies: %.2f s (%.0f events/s)",
                     done, fileCount, seconds, Double(done) / seconds))
        for (policy, totals) in multi.totals {
            print(String(format: "  %-5@ added %.1f MB, hit rate %.3f", policy, Double(totals.addedBytes) / 1e6, totals.hitRate ?? 0))
        }
    }

    func pageEvents(count: Int) {
        let files = FileRegistry(), spaces = AddressSpaceRegistry(), none = PerInode()
        none.spaces = [[]]
        let ids = (0..<100_000).map { i -> FileID in
            none.spaces[0].append(spaces.makeUnique(AddressSpaceDescriptor(kind: .inode, nid: UInt64(i))))
            return files.register(size: 64 * 4096)
        }
        let sim = CacheSimulator(policy: "none", files: files, spaces: spaces, resolver: none)
        let c = sim.registerContainer(name: "c")
        let start = Date()
        for i in 0..<count { sim.pageAdd(c, ids[i % ids.count], page: UInt64(i / ids.count) % 64) }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "page events: %d mm_filemap_add_to_page_cache replays in %.2f s (%.1f M/s, one core)",
                     count, seconds, Double(count) / seconds / 1e6))
    }

    func memoryPerPage(pages: Int) {
        let files = FileRegistry(), spaces = AddressSpaceRegistry(), none = PerInode()
        none.spaces = [[]]
        let perFile = 100
        let ids = (0..<(pages / perFile)).map { i -> FileID in
            none.spaces[0].append(spaces.makeUnique(AddressSpaceDescriptor(kind: .inode, nid: UInt64(i))))
            return files.register(size: UInt64(perFile) * 4096)
        }
        let sim = CacheSimulator(policy: "none", files: files, spaces: spaces, resolver: none)
        let c = sim.registerContainer(name: "c")
        for f in ids { sim.pageAdd(c, f, page: 0, count: 0) }
        let before = residentKB()
        for f in ids { sim.pageAdd(c, f, page: 0, count: UInt64(perFile)) }
        let after = residentKB()
        print(String(format: "memory: %d resident pages in %d files: %.1f bytes per resident page",
                     sim.residentPageCount, ids.count, Double(after - before) * 1024 / Double(sim.residentPageCount)))
    }

    private func residentKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
        }
        return 0
    }
}
