import EROFS
import FixtureSupport
import Foundation
import XCTest

/// The reader must see exactly what the kernel sees when it mounts the same image.
final class KernelComparisonTests: XCTestCase {
    private func compareWithKernel(_ options: [String], devices: (String) -> [String] = { _ in [] }, name: String) throws {
        let mkfs = try Shell.mkfs15()
        let dir = try Shell.temporaryDirectory("kernel-\(name)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SourceTree.make(at: dir + "/src")
        let imagePath = dir + "/image.erofs"
        try Shell.check(mkfs, ["--quiet"] + options.map { $0.replacingOccurrences(of: "$DIR", with: dir) } + [imagePath, dir + "/src"])
        let blobs = devices(dir)
        let mount = try KernelMount(image: imagePath, devices: blobs)
        defer { mount.unmount() }
        let image = try Image(ImageSpec(path: imagePath, devices: blobs))
        try TreeComparison.assertImageMatches(image, source: mount.mountpoint)
    }

    func testDefaultImageMatchesKernelMount() throws {
        try compareWithKernel([], name: "default")
    }

    func testChunkedImageMatchesKernelMount() throws {
        try compareWithKernel(["--chunksize=16384"], name: "chunked")
    }

    func testBlobImageMatchesKernelFileBackedMount() throws {
        try compareWithKernel(["--chunksize=4096", "-Eforce-chunk-indexes", "--blobdev=$DIR/blob.bin"], devices: { [$0 + "/blob.bin"] }, name: "blob")
    }
}

/// The committed erofs-utils 1.9 fixtures and the bundled samples, mounted by the kernel
/// (file-backed with `device=` for blobs) and compared with the reader file by file.
final class FixtureKernelComparisonTests: XCTestCase {
    /// Mounts `fixture` and checks that the reader sees exactly the mounted tree, and that
    /// the stat fields the kernel derives from the inode (size, nlink, blocks of data) agree.
    private func compare(_ fixture: FixtureImage) throws {
        let mount = try KernelMount(image: fixture.path, devices: fixture.devicePaths)
        defer { mount.unmount() }
        let image = try fixture.open()
        try TreeComparison.assertImageMatches(image, source: mount.mountpoint)
        try image.walk { event in
            guard case .entry(let path, let inode) = event, path != "/" else { return }
            var st = stat()
            XCTAssertEqual(lstat(mount.mountpoint + path, &st), 0, "\(fixture.file) \(path)")
            XCTAssertEqual(UInt64(st.st_size), inode.size, "size of \(path) in \(fixture.file)")
            XCTAssertEqual(UInt32(st.st_nlink), inode.nlink, "nlink of \(path) in \(fixture.file)")
            XCTAssertEqual(st.st_mtim.tv_nsec, Int(inode.mtimeNanoseconds), "mtime nsec of \(path) in \(fixture.file)")
        }
    }

    func testFixturesMatchKernelMounts() throws {
        guard getuid() == 0 else { throw XCTSkip("kernel comparison needs root (mount); skipped") }
        var compared: [String] = []
        var refused: [String] = []
        for fixture in try FixtureIndex.allFixtures() {
            do {
                try compare(fixture)
                compared.append(fixture.file)
            } catch let skip as XCTSkip {
                refused.append("\(fixture.file): \(skip.message ?? "skipped")")
            }
        }
        if !refused.isEmpty { print("kernel comparison not possible for: \n  " + refused.joined(separator: "\n  ")) }
        if compared.isEmpty { throw XCTSkip("the kernel mounted none of the fixtures: \(refused.joined(separator: "; "))") }
        XCTAssertGreaterThanOrEqual(compared.count, 20 + 15, "mounted only \(compared)")
        XCTAssertTrue(compared.contains { $0.hasPrefix("z-") }, "no compressed fixture was compared with the kernel")
    }

    func testSamplesMatchKernelMounts() throws {
        for sample in try FixtureIndex.sampleImages() { try compare(sample) }
    }
}
