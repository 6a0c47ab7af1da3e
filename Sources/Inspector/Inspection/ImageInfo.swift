import JSONOutput
import EROFS
import Foundation

/// What `info` shows about an image: superblock, features, devices.
public struct ImageInfo {
    public let image: Image
    public init(image: Image) { self.image = image }

    public var json: JSONValue {
        let sb = image.superblock
        let devices: [JSONValue] = image.devices.map { device in
            var fields: [(String, JSONValue)] = [("id", .int(Int64(device.id)))]
            if let slot = device.slot {
                fields += [("tag", .string(slot.tag)), ("tag_kind", .string(slot.tagKind.rawValue)), ("blocks", .uint(slot.blocks)), ("mapped_blkaddr", .uint(slot.unifiedAddress))]
            } else {
                fields += [("tag", .string("")), ("tag_kind", .string("primary")), ("blocks", .uint(sb.blocks)), ("mapped_blkaddr", .uint(0))]
            }
            var resolved: JSONValue = .string(device.path)
            if case .missing = device.origin { resolved = .null }
            if case .mismatched(let path, _) = device.origin { resolved = .string(path) }
            fields += [("path", resolved), ("origin", .string(originName(device.origin))), ("size_bytes", .uint(device.size))]
            if let (kind, reason) = device.unavailable { fields += [("unavailable", .string(kind.rawValue)), ("reason", .string(reason))] }
            return .object(fields)
        }
        let algorithms: [JSONValue] = image.compressionAlgorithms.map { info in
            .object([("name", .string(info.name)),
                            ("config", .object(info.settings.map { ($0.key, $0.value.allSatisfy(\.isNumber) ? .uint(UInt64($0.value) ?? 0) : .string($0.value)) })),
                            ("config_hex", .string(hexString(image.compressionConfigs[info.algorithm] ?? [])))])
        }
        return .object([
            ("path", .string(image.path)),
            ("magic", .string("0x" + zeroPadded(UInt64(Superblock.magic), 8, radix: 16))),
            ("block_size", .int(Int64(sb.blockSize))),
            ("blocks", .uint(sb.blocks)),
            ("inodes", .uint(sb.inodeCount)),
            ("root_nid", .uint(sb.rootNID)),
            ("uuid", .string(sb.uuidString)),
            ("volume_name", .string(sb.volumeName)),
            ("build_time", .uint(sb.epoch + UInt64(sb.buildTime))),
            ("meta_blkaddr", .uint(UInt64(sb.metaBlockAddress))),
            ("xattr_blkaddr", .uint(UInt64(sb.xattrBlockAddress))),
            ("packed_nid", .uint(sb.packedNID)),
            ("checksum", .string("0x" + zeroPadded(UInt64(sb.checksum), 8, radix: 16))),
            ("feature_compat", .array(sb.compat.names.map { .string($0) })),
            ("feature_incompat", .array(sb.incompat.names.map { .string($0) })),
            ("compression_algorithms", .array(algorithms)),
            ("flat_mode", .bool(image.isFlat)),
            ("devices", .array(devices)),
        ])
    }

    public var text: String {
        let sb = image.superblock
        var out = ""
        func row(_ k: String, _ v: String) { out += k.padding(toLength: 22, withPad: " ", startingAt: 0) + v + "\n" }
        row("Image:", image.path)
        row("Filesystem UUID:", sb.uuidString)
        if !sb.volumeName.isEmpty { row("Volume name:", sb.volumeName) }
        row("Block size:", "\(sb.blockSize)")
        row("Blocks:", "\(sb.blocks)")
        row("Inodes:", "\(sb.inodeCount)")
        row("Root nid:", "\(sb.rootNID)")
        row("Meta / xattr blkaddr:", "\(sb.metaBlockAddress) / \(sb.xattrBlockAddress)")
        if sb.packedNID != 0 { row("Packed nid:", "\(sb.packedNID)") }
        row("Compat features:", sb.compat.names.joined(separator: " "))
        row("Incompat features:", sb.incompat.names.joined(separator: " "))
        for (i, info) in image.compressionAlgorithms.enumerated() {
            row(i == 0 ? "Compression:" : "", info.name + (info.settings.isEmpty ? "" : " (" + info.settings.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        }
        row("Extra devices:", "\(sb.extraDevices)\(image.isFlat ? " (flat mode: read from the primary)" : "")")
        for device in image.devices.dropFirst() {
            let slot = device.slot!
            var whereFrom = device.path
            if case .missing(let reason) = device.origin { whereFrom = "NOT FOUND (\(reason))" }
            if case .mismatched(let path, let reason) = device.origin { whereFrom = "\(path) DOES NOT MATCH (\(reason))" }
            out += "  device \(device.id): tag '\(slot.tag)' (\(slot.tagKind.rawValue)), \(slot.blocks) blocks, mapped at block \(slot.unifiedAddress) -> \(whereFrom) [\(originName(device.origin))]\n"
        }
        return out
    }

    private func originName(_ origin: Device.Origin) -> String {
        switch origin {
        case .primary: return "primary"
        case .explicit: return "explicit"
        case .resolvedByTag: return "tag"
        case .flat: return "flat"
        case .missing: return "missing"
        case .mismatched: return "mismatched"
        }
    }
}
