#if canImport(Glibc)
import Glibc
#endif
import EROFS
import Foundation
import Inspector
import Recorder
import XCTest

@_silgen_name("mount") private func overlayMount(_ source: UnsafePointer<CChar>, _ target: UnsafePointer<CChar>, _ type: UnsafePointer<CChar>, _ flags: UInt, _ data: UnsafeRawPointer?) -> Int32
@_silgen_name("umount2") private func overlayUnmount(_ target: UnsafePointer<CChar>, _ flags: Int32) -> Int32

/// The page cache of layer stacks on the real kernel: each layer mounted once with EROFS, two
/// overlayfs stacks over them (a = base+app1, b = base+app2), every file of a then of b read
/// through the overlays; then the page cache resident in each layer's files (mincore through
/// the layer mounts) is compared with the model's pages added per layer under `none`.
final class LayerStackKernelTests: XCTestCase {
    static let layers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/layers").path

    /// Reads every regular file below `root` whole.
    private func readAll(_ root: String) throws {
        let walker = FileManager.default.enumerator(atPath: root)!
        while let rel = walker.nextObject() as? String {
            var st = stat()
            guard lstat(root + "/" + rel, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            _ = try Data(contentsOf: URL(fileURLWithPath: root + "/" + rel))
        }
    }

    /// Pages of regular files below `root` resident in the page cache (mincore), each inode once
    /// (hard links share one page cache).
    private func residentPages(_ root: String) -> Int {
        var total = 0
        var seen = Set<UInt64>()
        let walker = FileManager.default.enumerator(atPath: root)!
        while let rel = walker.nextObject() as? String {
            var st = stat()
            guard lstat(root + "/" + rel, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size > 0,
                  seen.insert(UInt64(st.st_ino)).inserted else { continue }
            let fd = open(root + "/" + rel, O_RDONLY)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            let length = Int(st.st_size)
            guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { continue }
            defer { munmap(map, length) }
            var vector = [UInt8](repeating: 0, count: (length + 4095) / 4096)
            guard mincore(map, length, &vector) == 0 else { continue }
            total += vector.filter { $0 & 1 != 0 }.count
        }
        return total
    }

    func testPagesPerLayerMatchTheKernelWithTwoOverlayStacks() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root (mount); skipped") }
        guard (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)).map({ $0.contains("erofs") && $0.contains("overlay") }) == true else {
            throw XCTSkip("this kernel lacks erofs or overlayfs; skipped")
        }
        let names = ["base", "app1", "app2"]
        let scratch = NSTemporaryDirectory() + "wt13-stack-cache-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var mounts: [KernelMount] = []
        var overlays: [String] = []
        defer {
            for o in overlays { _ = overlayUnmount(o, 2) }
            for m in mounts { m.unmount() }
            try? FileManager.default.removeItem(atPath: scratch)
        }
        for name in names {
            let point = scratch + "/\(name)"
            try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
            do { mounts.append(try KernelMount(image: Self.layers + "/\(name).erofs", devices: [], mountpoint: point)) } catch {
                throw XCTSkip("cannot mount the layer: \(error)")
            }
        }
        for (stack, upper) in [("a", 1), ("b", 2)] {
            let point = scratch + "/\(stack)"
            try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
            let lower = "lowerdir=\(mounts[upper].mountpoint):\(mounts[0].mountpoint)"
            guard overlayMount("overlay", point, "overlay", 1, lower) == 0 else {
                throw XCTSkip("the kernel refused the overlay mount (\(String(cString: strerror(errno)))); skipped")
            }
            overlays.append(point)
        }
        XCTAssertEqual(names.indices.map { residentPages(mounts[$0].mountpoint) }, [0, 0, 0], "fresh mounts start cold")
        try readAll(overlays[0])
        try readAll(overlays[1])
        let kernel = names.indices.map { residentPages(mounts[$0].mountpoint) }

        var config = SessionConfiguration(images: names.map { ImageSpec(path: Self.layers + "/\($0).erofs") })
        config.containers = [SessionContainer(name: "a", layers: [0, 1]), SessionContainer(name: "b", layers: [0, 2])]
        config.builtinWorkloads = [(.readAll, nil)]
        let session = try Session(config, designs: [.none, .flat])
        try session.runToEnd()
        let report = session.report()
        let none = try XCTUnwrap(report.policies.first { $0.design == .none })
        let model = none.imageDataBytes.map { Int($0 / 4096) }
        XCTAssertEqual(model, kernel, "data pages per layer (base, app1, app2): model under none vs the kernel's page cache")
        XCTAssertGreaterThan(kernel[0], kernel[1], "base is the biggest layer and counted once")
        let flat = try XCTUnwrap(report.policies.first { $0.design == .flat })
        XCTAssertGreaterThan(flat.imageDataBytes[0], none.imageDataBytes[0], "flat charges base's shared files to both containers")
    }
}
