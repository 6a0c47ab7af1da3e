import Crypto
import Foundation

/// The members of an uncompressed (ustar/pax) layer tar, read directly from the file: the
/// source tree a layer image was converted from.
struct LayerTar {
    struct Member {
        var path: String
        /// "0" regular, "1" hard link, "2" symlink, "5" directory, …
        var type: Character
        var size: Int
        var linkTarget: String
        /// SHA-256 of the contents (regular files).
        var digest: String
    }

    var members: [Member] = []

    init(path: String) throws {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var at = 0
        var paxPath: String?
        func text(_ range: Range<Int>) -> String {
            let bytes = data[(at + range.lowerBound)..<(at + range.upperBound)]
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        while at + 512 <= data.count, data[at..<(at + 512)].contains(where: { $0 != 0 }) {
            let size = Int(text(124..<136).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0
            let type = Character(UnicodeScalar(data[at + 156] == 0 ? UInt8(ascii: "0") : data[at + 156]))
            let prefix = text(345..<500)
            var name = (prefix.isEmpty ? "" : prefix + "/") + text(0..<100)
            let link = text(157..<257)
            let body = Array(data[(at + 512)..<min(data.count, at + 512 + size)])
            if type == "x" {
                // pax header: only `path` matters here
                for record in String(decoding: body, as: UTF8.self).split(separator: "\n") {
                    if let eq = record.firstIndex(of: "="), record[..<eq].hasSuffix(" path") { paxPath = String(record[record.index(after: eq)...]) }
                }
            } else {
                if let p = paxPath { name = p; paxPath = nil }
                let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
                members.append(Member(path: "/" + name.trimmingCharacters(in: CharacterSet(charactersIn: "/")), type: type, size: size, linkTarget: link, digest: digest))
            }
            at += 512 + (size + 511) / 512 * 512
        }
    }
}

/// The regular files visible through a stack of layer tars under the OCI image spec's rules
/// (`.wh.NAME` deletes NAME below, `.wh..wh..opq` hides the directory's lower contents; an
/// upper entry hides the same path and everything under it below), computed from the tars.
enum OCIStackModel {
    struct File: Hashable { var layer: Int; var path: String }

    /// Visible regular files of `layers` (lowest first): path → (layer, size, digest).
    /// Hard links resolve to their target's (layer, path), so a linked file is one file.
    static func visibleFiles(_ layers: [LayerTar]) -> [String: (file: File, size: Int, digest: String)] {
        var visible: [String: (file: File, size: Int, digest: String)] = [:]
        var nonFiles: Set<String> = []   // directories and other entries present so far
        for (index, layer) in layers.enumerated() {
            func under(_ dir: String) -> (String) -> Bool { { $0.hasPrefix(dir + "/") } }
            // Deletions first: they apply to the layers below.
            for m in layer.members {
                let name = (m.path as NSString).lastPathComponent
                let dir = (m.path as NSString).deletingLastPathComponent
                if name == ".wh..wh..opq" {
                    visible = visible.filter { !under(dir)($0.key) }
                    nonFiles = nonFiles.filter { !under(dir)($0) }
                } else if name.hasPrefix(".wh.") {
                    let target = (dir == "/" ? "" : dir) + "/" + String(name.dropFirst(4))
                    visible = visible.filter { $0.key != target && !under(target)($0.key) }
                    nonFiles = nonFiles.filter { $0 != target && !under(target)($0) }
                }
            }
            var byPath: [String: File] = [:]
            for m in layer.members where !(m.path as NSString).lastPathComponent.hasPrefix(".wh.") {
                if m.type != "5" {
                    // A non-directory replaces whatever was there, including a lower directory's tree.
                    visible = visible.filter { $0.key != m.path && !under(m.path)($0.key) }
                    nonFiles = nonFiles.filter { $0 != m.path && !under(m.path)($0) }
                } else if visible[m.path] != nil {
                    visible[m.path] = nil
                }
                switch m.type {
                case "0":
                    let file = File(layer: index, path: m.path)
                    byPath[m.path] = file
                    visible[m.path] = (file, m.size, m.digest)
                case "1":
                    let target = "/" + m.linkTarget
                    if let file = byPath[target], let v = visible[target] { visible[m.path] = (file, v.size, v.digest) }
                default:
                    nonFiles.insert(m.path)
                }
            }
        }
        return visible
    }

    static func pages(_ size: Int) -> Int { (size + 4095) / 4096 }
}
