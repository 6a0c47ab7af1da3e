import EROFS
import FixtureSupport
import Foundation
@testable import Live
import Recorder
import XCTest

/// Discovery on real mounts: two mounts of one image are one image and two containers, a bind
/// mount is the same superblock, and blobs are found by tag when mountinfo shows no `device=`.
final class LiveInventoryKernelTests: XCTestCase {
    func testMountsOfTheSameImageAreGroupedAndBindMountsMerged() throws {
        let image = FixturePaths.samples + "/python-base.erofs"
        let first = try TestMount(image: image, name: "group-1")
        defer { first.close() }
        let second = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-group-2"
        let bind = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-group-bind"
        for d in [second, bind] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        defer { for d in [second, bind] { try? FileManager.default.removeItem(atPath: d) } }
        let other = try KernelMount(image: image, devices: [FixturePaths.samples + "/layer-python.erofs"], mountpoint: second)
        defer { other.unmount() }
        _ = try runProgram("/bin/mount", ["--bind", first.mountPoint, bind])
        defer { _ = try? runProgram("/bin/umount", [bind]) }
        let wanted: Set<String> = [first.mountPoint, second, bind]
        let inventory = LiveInventory.discover(table: try MountTable.read().filter { wanted.contains($0.mountPoint) })
        XCTAssertEqual(inventory.images.count, 1, "one image behind both mounts")
        XCTAssertEqual(inventory.mounts.count, 2, "two superblocks")
        XCTAssertEqual(inventory.mounts.map(\.image), [0, 0])
        XCTAssertEqual(inventory.containers.count, 2)
        let withBind = try XCTUnwrap(inventory.mounts.first { $0.mountPoint == first.mountPoint })
        XCTAssertEqual(withBind.otherMountPoints, [bind], "the bind mount is the same superblock")
        XCTAssertEqual(withBind.devicesFrom, "tag")
        XCTAssertEqual(withBind.devicePaths, [FixturePaths.samples + "/layer-python.erofs"])
        XCTAssertNotEqual(inventory.mounts[0].device, inventory.mounts[1].device)
    }

    func testAMountThatAppearsLaterIsCountedAsNew() throws {
        let image = FixturePaths.samples + "/python-base.erofs"
        let first = try TestMount(image: image, name: "new-1")
        defer { first.close() }
        let later = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-new-2"
        try FileManager.default.createDirectory(atPath: later, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: later) }
        let inventory = LiveInventory.discover(table: try MountTable.read().filter { $0.mountPoint == first.mountPoint })
        let watched: Set<String> = [first.mountPoint, later]
        let monitor = try LiveMonitor(inventory: inventory, events: false, watches: { watched.contains($0.mountPoint) })
        defer { monitor.close() }
        XCTAssertEqual(monitor.newMounts, 0)
        let mount = try KernelMount(image: image, devices: [FixturePaths.samples + "/layer-python.erofs"], mountpoint: later)
        monitor.rescan()
        XCTAssertEqual(monitor.newMounts, 1, "the new mount is noticed")
        mount.unmount()
        monitor.rescan()
        XCTAssertEqual(monitor.newMounts, 0)
    }
}
