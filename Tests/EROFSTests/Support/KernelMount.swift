import Foundation
import XCTest

@_silgen_name("mount") func sysMount(_ source: UnsafePointer<CChar>, _ target: UnsafePointer<CChar>, _ type: UnsafePointer<CChar>, _ flags: UInt, _ data: UnsafeRawPointer?) -> Int32
@_silgen_name("umount2") func sysUmount2(_ target: UnsafePointer<CChar>, _ flags: Int32) -> Int32

/// Mounts an image read-only with the kernel's own EROFS driver, for comparisons.
/// File-backed mounts go through mount(2) directly so that extra devices may be files.
final class KernelMount {
    let mountpoint: String
    private var mounted = false

    /// Mounts `image` (with `devices` in slot order) or throws XCTSkip saying why it cannot.
    init(image: String, devices: [String] = []) throws {
        guard getuid() == 0 else { throw XCTSkip("kernel comparison needs root (mount); skipped") }
        guard (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8))?.contains("erofs") == true else {
            throw XCTSkip("this kernel has no EROFS driver (not in /proc/filesystems); skipped")
        }
        mountpoint = try Shell.temporaryDirectory("mnt")
        let data = devices.map { "device=" + URL(fileURLWithPath: $0).standardizedFileURL.path }.joined(separator: ",")
        let source = URL(fileURLWithPath: image).standardizedFileURL.path
        var result = sysMount(source, mountpoint, "erofs", 1, data.isEmpty ? nil : data)
        if result != 0 && devices.isEmpty {
            // Kernels before 6.12 cannot mount a regular file directly: use a loop device.
            let loop = try Shell.run("/usr/sbin/losetup", ["--find", "--show", "--read-only", source])
            let device = loop.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if loop.status == 0 {
                result = sysMount(device, mountpoint, "erofs", 1, nil)
                _ = try? Shell.run("/usr/sbin/losetup", ["--detach", device])
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: mountpoint)
            throw XCTSkip("the kernel refused to mount \(image) (\(reason)); kernel comparison skipped")
        }
        mounted = true
    }

    func unmount() {
        guard mounted else { return }
        _ = sysUmount2(mountpoint, 2) // MNT_DETACH
        mounted = false
        try? FileManager.default.removeItem(atPath: mountpoint)
    }

    deinit { unmount() }
}
