@testable import EROFS
import Foundation
import FuzzHarness

/// Real fixture images and the byte ranges of their metadata structures, for tests that edit
/// images byte by byte (the corrupted-image sweep, the resource-bound images).
///
/// Structures are located with the reader itself on the pristine image, so the edits follow
/// the fixtures when they are rebuilt.
enum ImageEdits {
    /// `Tests/Fixtures/images` in the source tree.
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/images").path
    }()

    /// The bytes of a fixture image.
    static func load(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name)))
    }

    /// A named byte range of one metadata structure.
    struct Region: CustomStringConvertible {
        var name: String
        var range: Range<Int>
        var description: String { "\(name) [\(range.lowerBound)..<\(range.upperBound)]" }
    }

    /// Finds the metadata structures of `image` (opened from `spec`): the superblock, device
    /// slots, up to `inodeLimit` inodes of distinct kinds, their xattr headers, the first
    /// dirents and names of the root and another directory, chunk indexes and the map header
    /// and first indexes of compressed files.
    static func regions(of image: Image, inodeLimit: Int = 6) throws -> [Region] {
        let sb = image.superblock
        var out = [Region(name: "superblock", range: 1024..<(1024 + sb.size))]
        for slot in 0..<Int(sb.extraDevices) {
            let at = Int(sb.deviceTableSlotOffset) * 128 + slot * 128
            out.append(Region(name: "device slot \(slot + 1)", range: at..<(at + 128)))
        }
        var picked: [Inode] = []
        var kinds: Set<String> = []
        try image.walk { event in
            guard case .entry(_, let inode) = event, picked.count < inodeLimit, inode.space == .primary else { return }
            let kind = "\(inode.type)-\(inode.layout)-\(inode.xattrCount > 0)"
            if kinds.insert(kind).inserted { picked.append(inode) }
        }
        var directories = 0
        for inode in picked {
            let at = Int(inode.location)
            out.append(Region(name: "inode \(inode.nid) (\(inode.type), \(inode.layout))", range: at..<(at + inode.inodeSize)))
            let payload = Int(inode.payloadOffset)
            if inode.xattrCount > 0 {
                let start = at + inode.inodeSize
                out.append(Region(name: "xattr header and first entry of nid \(inode.nid)", range: start..<min(payload, start + 32)))
            }
            switch inode.layout {
            case .chunkBased:
                let unit = inode.chunkFormat & 0x20 != 0 ? 8 : 4
                let start = (payload + unit - 1) / unit * unit
                out.append(Region(name: "chunk indexes of nid \(inode.nid)", range: start..<(start + 4 * unit)))
            case .compressedFull, .compressedCompact:
                let start = (payload + 7) / 8 * 8
                out.append(Region(name: "map header and indexes of nid \(inode.nid)", range: start..<(start + 40)))
            default:
                break
            }
            if inode.type == .directory, directories < 2, inode.size > 0 {
                let start: Int
                switch try image.extent(of: inode, at: 0).location {
                case .device(0, let pa): start = Int(pa)
                case .inline(let at): start = Int(at)
                default: continue
                }
                directories += 1
                let names = Int(try image.read(inode, at: 0, count: 12).le16(8))
                out.append(Region(name: "dirents of nid \(inode.nid)", range: start..<(start + min(names, 48))))
                out.append(Region(name: "names of nid \(inode.nid)", range: (start + names)..<(start + names + 16)))
            }
        }
        return out
    }
}
