import EROFS
import Foundation

@_silgen_name("mount") private func sysMount(_ source: UnsafePointer<CChar>, _ target: UnsafePointer<CChar>, _ type: UnsafePointer<CChar>?, _ flags: UInt, _ data: UnsafeRawPointer?) -> Int32
@_silgen_name("umount2") private func sysUmount2(_ target: UnsafePointer<CChar>, _ flags: Int32) -> Int32

/// A read-only kernel mount of one image with its extra devices, undone by `unmount()`.
///
/// It first tries a file-backed mount (mount(2) on the image file with `device=` for each extra
/// device, Linux ≥ 6.12); if the kernel refuses, it puts the image and each blob on a read-only
/// loop device (with autoclear, see `LoopDevice`) and mounts that.
public final class KernelMount: @unchecked Sendable {
    public let image: String
    public let mountpoint: String
    /// "major:minor" of the mounted superblock, as ftrace prints it.
    public private(set) var device = ""
    /// The mount's readahead window (its bdi's read_ahead_kb).
    public private(set) var readaheadKB: Int?
    /// How it was mounted ("file-backed", "loop", or "existing" for a mount made by someone else).
    public private(set) var method = ""
    private var loops: [LoopDevice] = []
    private var mounted = false

    /// Mounts `image` (device paths in slot order) on `mountpoint`, which must exist; with
    /// `loop`, over loop devices without trying a file-backed mount first.
    public init(image: String, devices: [String], mountpoint: String, loop: Bool = false) throws {
        self.image = image
        self.mountpoint = mountpoint
        let bdisBefore = Set((try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/bdi")) ?? [])
        let data = devices.map { "device=" + $0 }.joined(separator: ",")
        var result: Int32 = -1
        var reason = "loop devices asked for"
        if !loop {
            result = data.isEmpty ? sysMount(image, mountpoint, "erofs", 1, nil) : sysMount(image, mountpoint, "erofs", 1, data)
            reason = String(cString: strerror(errno))
        }
        if result == 0 {
            method = "file-backed"
        } else {
            do {
                let primaryLoop = try LoopDevice(file: image)
                loops.append(primaryLoop)
                let primary = primaryLoop.path
                var loopData: [String] = []
                for d in devices {
                    let l = try LoopDevice(file: d)
                    loops.append(l)
                    loopData.append("device=" + l.path)
                }
                let joined = loopData.joined(separator: ",")
                result = joined.isEmpty ? sysMount(primary, mountpoint, "erofs", 1, nil) : sysMount(primary, mountpoint, "erofs", 1, joined)
                if result != 0 { reason = String(cString: strerror(errno)) } else { method = "loop" }
            } catch {
                reason += "; loop fallback: \(error)"
            }
        }
        guard result == 0 else {
            detachLoops()
            throw RecordError("the kernel refused to mount \(image) (\(reason)); is EROFS built in or loaded (modprobe erofs), and does this kernel support the image's features?")
        }
        mounted = true
        // The mount holds the loop devices now; unmounted, the kernel detaches them (autoclear).
        detachLoops()
        var st = stat()
        if stat(mountpoint, &st) == 0 {
            device = Self.deviceName(UInt64(st.st_dev))
            // Block-device mounts use the device's bdi; file-backed mounts get their own
            // ("erofs-N"), found as the one that appeared with the mount.
            let bdisAfter = Set((try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/bdi")) ?? [])
            let fresh = bdisAfter.subtracting(bdisBefore).filter { $0.hasPrefix("erofs") }
            let bdi = FileManager.default.fileExists(atPath: "/sys/class/bdi/\(device)") ? device : (fresh.count == 1 ? fresh.first! : nil)
            if let bdi, let text = try? String(contentsOfFile: "/sys/class/bdi/\(bdi)/read_ahead_kb", encoding: .utf8) {
                readaheadKB = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    /// Uses a mount made by someone else: checks that `mountpoint` is an EROFS mount whose root
    /// is `image`'s root inode (on 64-bit kernels an EROFS inode number is its nid), and never
    /// unmounts it. Its readahead is known when its bdi is named by its device number.
    public init(existing mountpoint: String, of image: Image) throws {
        self.image = image.path
        self.mountpoint = mountpoint
        method = "existing"
        let resolved = URL(fileURLWithPath: mountpoint).resolvingSymlinksInPath().path
        let table = (try? String(contentsOfFile: "/proc/thread-self/mountinfo", encoding: .utf8)) ?? ""
        let isErofs = table.split(separator: "\n").contains { line in
            let halves = line.components(separatedBy: " - ")
            let fields = halves[0].split(separator: " ")
            guard halves.count == 2, fields.count > 4 else { return false }
            return fields[4].replacingOccurrences(of: "\\040", with: " ") == resolved && halves[1].hasPrefix("erofs ")
        }
        guard isErofs else { throw RecordError("\(mountpoint) is not the mount point of an EROFS mount") }
        var st = stat()
        guard stat(mountpoint, &st) == 0, UInt64(st.st_ino) == image.rootNID else {
            throw RecordError("\(mountpoint) is an EROFS mount of another image (its root inode is \(st.st_ino), \(image.path)'s root nid is \(image.rootNID))")
        }
        device = Self.deviceName(UInt64(st.st_dev))
        if let text = try? String(contentsOfFile: "/sys/class/bdi/\(device)/read_ahead_kb", encoding: .utf8) {
            readaheadKB = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// "major:minor" of a `dev_t`, as ftrace prints it.
    static func deviceName(_ dev: UInt64) -> String {
        let major = ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)
        let minor = ((dev >> 12) & 0xffff_ff00) | (dev & 0xff)
        return "\(major):\(minor)"
    }

    private func detachLoops() {
        for l in loops.reversed() { l.release() }
        loops.removeAll()
    }

    /// Unmounts (lazily if busy) and detaches loop devices. Safe to call twice.
    public func unmount() {
        if mounted {
            if sysUmount2(mountpoint, 0) != 0 { _ = sysUmount2(mountpoint, 2) } // MNT_DETACH when busy
            mounted = false
        }
        detachLoops()
    }

    deinit { unmount() }
}
