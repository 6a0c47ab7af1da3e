import EROFS
import Foundation

/// One EROFS superblock mounted on this host, as found in the mount table.
public struct LiveMount: Sendable, Equatable {
    public var mountPoint: String
    /// Other mount points of the same superblock (bind mounts).
    public var otherMountPoints: [String] = []
    /// The mount's source as mountinfo shows it (an image file, `/dev/loopN`, a block device).
    public var source: String
    /// "major:minor" of the superblock, as ftrace prints it.
    public var device: String
    /// The image file (a loop device's backing file), or the block device itself.
    public var imagePath: String
    /// The extra devices (blobs) in slot order: `device=` options (loop devices followed to
    /// their backing files), or, when mountinfo shows none, the blobs found by tag next to the image.
    public var devicePaths: [String]
    /// Where the device paths came from: "device=" or "tag".
    public var devicesFrom: String
    public var domainID: String?
    /// The mount shares inodes by fingerprint itself (Linux 7.0 `inode_share`).
    public var inodeShare: Bool
    /// Index into `LiveInventory.images`.
    public var image: Int = 0
}

/// An overlayfs mount whose lower dirs are EROFS mounts: a container's root file system.
public struct LiveStack: Sendable, Equatable {
    public var mountPoint: String
    /// Indexes into `LiveInventory.mounts`, lowest layer first.
    public var layers: [Int]
}

/// The EROFS mounts and overlay stacks of this host, the distinct images behind them, and the
/// containers the model runs (one per stack, one per mount used by no stack).
public struct LiveInventory: Sendable {
    public var mounts: [LiveMount] = []
    public var stacks: [LiveStack] = []
    /// Distinct images (mounts of the same image file with the same blobs are grouped).
    public var images: [ImageSpec] = []
    /// The containers: a name and the mounts it reads through (lowest first).
    public var containers: [(name: String, mounts: [Int])] = []

    /// Reads the mount table and resolves every EROFS mount to its image.
    public static func discover(table: [MountInfoEntry]) -> LiveInventory {
        var inventory = LiveInventory()
        var byDevice: [String: Int] = [:]
        for entry in table where entry.fsType == "erofs" {
            if let i = byDevice[entry.device] {
                inventory.mounts[i].otherMountPoints.append(entry.mountPoint)
                continue
            }
            guard var mount = resolve(entry) else { continue }
            // Blobs found by tag are found again by the reader itself.
            var spec = ImageSpec(path: mount.imagePath, devices: mount.devicesFrom == "tag" ? [] : mount.devicePaths)
            spec.allowMissingDevices = true
            if let i = inventory.images.firstIndex(of: spec) { mount.image = i } else {
                inventory.images.append(spec)
                mount.image = inventory.images.count - 1
            }
            byDevice[entry.device] = inventory.mounts.count
            inventory.mounts.append(mount)
        }
        let mountAt: [String: Int] = Dictionary(inventory.mounts.enumerated().flatMap { i, m in
            ([m.mountPoint] + m.otherMountPoints).map { ($0, i) }
        }, uniquingKeysWith: { a, _ in a })
        for entry in table where entry.fsType == "overlay" {
            let lowers = (entry.option("lowerdir").map(splitLowerDirs) ?? []) + entry.options("lowerdir+")
            let layers = lowers.compactMap { mountAt[$0] ?? mountAt[URL(fileURLWithPath: $0).resolvingSymlinksInPath().path] }
            guard !layers.isEmpty else { continue }
            inventory.stacks.append(LiveStack(mountPoint: entry.mountPoint, layers: Array(layers.reversed())))
        }
        var names: [String: Int] = [:]
        func unique(_ path: String) -> String {
            var name = URL(fileURLWithPath: path).lastPathComponent
            if name.isEmpty || name == "/" { name = "root" }
            names[name, default: 0] += 1
            return names[name]! > 1 ? "\(name)#\(names[name]!)" : name
        }
        let stacked = Set(inventory.stacks.flatMap(\.layers))
        for (i, m) in inventory.mounts.enumerated() where !stacked.contains(i) {
            inventory.containers.append((unique(m.mountPoint), [i]))
        }
        for s in inventory.stacks { inventory.containers.append((unique(s.mountPoint), s.layers)) }
        return inventory
    }

    /// `lowerdir=top:...:bottom` (a `::` before data-only layers; `\:` is a colon in a path).
    public static func splitLowerDirs(_ value: String) -> [String] {
        var out: [String] = []
        var current = ""
        var escaped = false
        for ch in value {
            if escaped { current.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == ":" {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else { current.append(ch) }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The image behind a mount source: a loop device's backing file, else the source itself.
    static func resolve(_ entry: MountInfoEntry) -> LiveMount? {
        let image = backingFile(of: entry.source) ?? entry.source
        guard image.hasPrefix("/"), FileManager.default.fileExists(atPath: image) else { return nil }
        var devices = entry.options("device").map { backingFile(of: $0) ?? $0 }
        var from = "device="
        if devices.isEmpty {
            from = "tag"
            // Not shown (file-backed mounts on this kernel): found by tag next to the image.
            var spec = ImageSpec(path: image)
            spec.allowMissingDevices = true
            if let opened = try? Image(spec) { devices = opened.devices.dropFirst().map(\.path) }
        }
        return LiveMount(mountPoint: entry.mountPoint, source: entry.source, device: entry.device, imagePath: image,
                         devicePaths: devices, devicesFrom: from, domainID: entry.option("domain_id"),
                         inodeShare: entry.hasFlag("inode_share"))
    }

    /// The file behind `/dev/loopN` (`/sys/block/loopN/loop/backing_file`), nil for anything else.
    public static func backingFile(of source: String) -> String? {
        guard source.hasPrefix("/dev/loop") else { return nil }
        let name = URL(fileURLWithPath: source).lastPathComponent
        guard let text = try? String(contentsOfFile: "/sys/block/\(name)/loop/backing_file", encoding: .utf8) else { return nil }
        let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }
}
