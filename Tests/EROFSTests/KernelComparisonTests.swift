import EROFS
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
