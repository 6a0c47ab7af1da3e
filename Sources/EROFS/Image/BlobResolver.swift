import Foundation

/// Finds the files behind an image's extra devices.
///
/// Explicit `device=` paths are taken in slot order. Otherwise each slot's tag is looked up in
/// the blob folder: a 32-hex tag is a source image's superblock UUID (rebuild mode), a 64-hex
/// tag names a blob file by its digest. Empty tags fall back to flat (unified address) mode
/// when the primary holds the device's blocks.
struct BlobResolver {
    let imagePath: String
    let superblock: Superblock
    let primary: FileByteSource

    func resolve(slots: [DeviceSlot], spec: ImageSpec) throws -> [Device] {
        let blockSize = UInt64(superblock.blockSize)
        var devices: [Device] = []
        if !spec.devices.isEmpty {
            guard spec.devices.count == slots.count else {
                throw EROFSError(.blobMismatch, "\(spec.devices.count) device(s) given but the image has \(slots.count) extra device(s)", image: imagePath)
            }
            for (slot, path) in zip(slots, spec.devices) {
                let source: FileByteSource
                do { source = try FileByteSource(path: path) } catch let error as EROFSError {
                    let reason = "device slot \(slot.id) (tag '\(slot.tag)'): \(error.detail)"
                    guard spec.allowMissingDevices else { throw EROFSError(.blobMissing, reason, image: imagePath) }
                    devices.append(Device(id: slot.id, slot: slot, origin: .missing(reason: reason), source: primary, base: 0, size: 0))
                    continue
                }
                devices.append(try checked(Device(id: slot.id, slot: slot, origin: .explicit(path: path), source: source, base: 0, size: source.size), spec: spec))
            }
            return devices
        }
        let folder = spec.blobDirectory ?? (spec.path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var uuidIndex: [String: String]?
        for slot in slots {
            switch slot.tagKind {
            case .uuid:
                if uuidIndex == nil { uuidIndex = Self.scanUUIDs(in: directory, excluding: spec.path) }
                if let path = uuidIndex?[slot.tag.lowercased()] {
                    let source = try FileByteSource(path: path)
                    devices.append(try checked(Device(id: slot.id, slot: slot, origin: .resolvedByTag(path: path), source: source, base: 0, size: source.size), spec: spec))
                    continue
                }
            case .digest:
                let candidates = [slot.tag, slot.tag.lowercased(), "sha256-" + slot.tag.lowercased(), slot.tag.lowercased() + ".blob"]
                if let name = candidates.first(where: { FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
                    let source = try FileByteSource(path: directory + "/" + name)
                    devices.append(try checked(Device(id: slot.id, slot: slot, origin: .resolvedByTag(path: source.path), source: source, base: 0, size: source.size), spec: spec))
                    continue
                }
            case .empty, .other:
                break
            }
            if let flat = flatDevice(slot: slot, blockSize: blockSize) {
                devices.append(flat)
                continue
            }
            let looked: String
            switch slot.tagKind {
            case .uuid: looked = "no EROFS image with UUID \(slot.tag) in \(directory)"
            case .digest: looked = "no file named \(slot.tag) in \(directory)"
            case .empty: looked = "the tag is empty, so give the blob with \(imagePath),device=BLOB"
            case .other: looked = "tag is neither a UUID nor a digest; give the blob with \(imagePath),device=BLOB"
            }
            let reason = "device slot \(slot.id) (tag '\(slot.tag)') not found: \(looked); the primary does not hold it in flat mode either"
            if spec.allowMissingDevices {
                devices.append(Device(id: slot.id, slot: slot, origin: .missing(reason: reason), source: primary, base: 0, size: 0))
                continue
            }
            throw EROFSError(.blobMissing, reason, image: imagePath)
        }
        return devices
    }

    /// Flat (unified address) mode: the device's blocks follow in the primary file.
    private func flatDevice(slot: DeviceSlot, blockSize: UInt64) -> Device? {
        guard slot.unifiedAddress != 0, slot.blocks != 0 else { return nil }
        let (base, o1) = slot.unifiedAddress.multipliedReportingOverflow(by: blockSize)
        let (size, o2) = slot.blocks.multipliedReportingOverflow(by: blockSize)
        guard !o1, !o2, base.addingReportingOverflow(size).partialValue <= primary.size, base + size >= base else { return nil }
        return Device(id: slot.id, slot: slot, origin: .flat, source: primary, base: base, size: size)
    }

    /// The device as found, or (opened leniently) marked mismatched when it fails `check`.
    private func checked(_ device: Device, spec: ImageSpec) throws -> Device {
        do {
            try check(slot: device.slot!, source: device.source, blockSize: UInt64(superblock.blockSize))
            return device
        } catch let error as EROFSError where error.kind == .blobMismatch && spec.allowMissingDevices {
            return Device(id: device.id, slot: device.slot, origin: .mismatched(path: device.path, reason: error.detail), source: primary, base: 0, size: 0)
        }
    }

    private func check(slot: DeviceSlot, source: FileByteSource, blockSize: UInt64) throws {
        // The UUID first: a wrong image is usually also the wrong size, and its UUID says why.
        if slot.tagKind == .uuid, let uuid = Self.erofsUUID(of: source), uuid != slot.tag.lowercased() {
            throw EROFSError(.blobMismatch, "device slot \(slot.id) expects the image with UUID \(slot.tag), but \(source.path) has UUID \(uuid)", image: imagePath)
        }
        if slot.blocks > 0 {
            let (need, overflow) = slot.blocks.multipliedReportingOverflow(by: blockSize)
            if overflow || source.size < need {
                throw EROFSError(.blobMismatch, "device slot \(slot.id) (tag '\(slot.tag)'): \(source.path) has \(source.size) bytes but the slot claims \(slot.blocks) blocks of \(blockSize)", image: imagePath)
            }
        }
    }

    /// The superblock UUID (32 hex) of an EROFS image, or nil if `source` is not one.
    static func erofsUUID(of source: FileByteSource) -> String? {
        guard source.size >= 1024 + 128, let raw = try? source.bytes(at: 1024, count: 128), raw.le32(0) == Superblock.magic else { return nil }
        return hexString(raw[0x30..<0x40])
    }

    /// Maps UUID → path for every EROFS image in `directory`.
    static func scanUUIDs(in directory: String, excluding: String) -> [String: String] {
        var out: [String: String] = [:]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return out }
        let excluded = URL(fileURLWithPath: excluding).standardizedFileURL.path
        for name in names.sorted() {
            let path = directory + "/" + name
            if URL(fileURLWithPath: path).standardizedFileURL.path == excluded { continue }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                  let source = try? FileByteSource(path: path), let uuid = erofsUUID(of: source) else { continue }
            if out[uuid] == nil { out[uuid] = path }
        }
        return out
    }
}
