import Dispatch
import EROFS
import FixtureSupport
import Foundation
import XCTest

/// One `Image` shared by 8 threads must give every thread the bytes a single thread reads.
final class ConcurrentReadTests: XCTestCase {
    /// Every regular file of `image` with its content, read on one thread.
    private func serialRead(_ image: Image) throws -> [(path: String, inode: Inode, bytes: [UInt8])] {
        var out: [(String, Inode, [UInt8])] = []
        try image.walk { event in
            if case .entry(let path, let inode) = event, inode.type == .regular {
                out.append((path, inode, try image.contents(of: inode)))
            }
        }
        return out
    }

    /// Reads every file from `threads` threads at once, each in its own order, whole and in
    /// odd-sized slices, and also walks and resolves paths; returns the differences found.
    private func concurrentDifferences(_ image: Image, _ expected: [(path: String, inode: Inode, bytes: [UInt8])], threads: Int = 8) -> [String] {
        let lock = NSLock()
        var problems: [String] = []
        func report(_ text: String) { lock.lock(); problems.append(text); lock.unlock() }
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for round in 0..<expected.count {
                let (path, inode, bytes) = expected[(round * (thread + 1) + thread) % expected.count]
                do {
                    if try image.contents(of: inode) != bytes { report("thread \(thread): \(path) whole read differs") }
                    let step = 997 * (thread + 1)
                    var offset = 0
                    var pieces: [UInt8] = []
                    while offset < bytes.count {
                        pieces += try image.read(inode, at: UInt64(offset), count: step)
                        offset += step
                    }
                    if pieces != bytes { report("thread \(thread): \(path) read in \(step)-byte slices differs") }
                    if try image.resolve(path).nid != inode.nid { report("thread \(thread): \(path) resolves elsewhere") }
                } catch {
                    report("thread \(thread): \(path): \(error)")
                }
            }
        }
        return problems
    }

    func testEightThreadsReadTheSameBytesAsOne() throws {
        let wanted: Set<String> = ["plain.erofs", "plain-b512.erofs", "chunk1m-blob.erofs", "chunk64k-48bit.erofs", "merged3.erofs", "merged3-flat.erofs", "tari.erofs", "digest.erofs",
                                   "z-lz4hc-C65536.erofs", "z-lzma-C65536-fragments-ztailpacking.erofs", "z-zstd-48bit.erofs", "z-lz4-metabox.erofs"]
        let fixtures = try FixtureIndex.allFixtures().filter { wanted.contains($0.file) }
        XCTAssertEqual(fixtures.count, wanted.count)
        for fixture in fixtures {
            let image = try fixture.open()
            let expected = try serialRead(image)
            XCTAssertGreaterThan(expected.count, 3, fixture.file)
            // The serial read itself is right: it matches the manifest's digests.
            let manifest = try fixture.loadManifest()
            for (path, _, bytes) in expected { XCTAssertEqual(Hex.sha256(bytes), manifest.entries[path]?.sha256, "\(fixture.file) \(path)") }
            ManifestComparison.assertNone(concurrentDifferences(image, expected), "\(fixture.file) from 8 threads")
        }
    }

    /// Lazily loaded state (long xattr prefixes) is built once under contention.
    func testFirstUseOfLazyStateFromEightThreads() throws {
        let fixture = try XCTUnwrap(FixtureIndex.uncompressedFixtures().first { $0.file == "digest.erofs" })
        let manifest = try fixture.loadManifest()
        let files = manifest.regularFiles.filter { $0.entry.fingerprint != nil }
        XCTAssertFalse(files.isEmpty)
        for _ in 0..<5 {
            let image = try fixture.open()   // fresh image: prefixes not loaded yet
            let lock = NSLock()
            var problems: [String] = []
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for (path, entry) in files where path.hashValue % 2 == thread % 2 || thread < 2 {
                    do {
                        let value = try image.fingerprint(of: try image.resolve(path))
                        if value.map({ Hex.string($0) }) != entry.fingerprint { lock.lock(); problems.append("\(path) thread \(thread)"); lock.unlock() }
                    } catch { lock.lock(); problems.append("\(path): \(error)"); lock.unlock() }
                }
            }
            ManifestComparison.assertNone(problems, "fingerprints from 8 threads")
        }
    }
}
