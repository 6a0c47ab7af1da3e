import Foundation

/// One line of `/proc/self/mountinfo` (proc(5)): which filesystem is mounted where, from what
/// source, with which options.
public struct MountInfoEntry: Sendable, Equatable {
    public var mountID: Int
    public var parentID: Int
    /// "major:minor" of the mounted superblock (`st_dev`, as ftrace prints it).
    public var device: String
    /// The path inside the filesystem that is mounted (usually "/").
    public var root: String
    public var mountPoint: String
    public var mountOptions: [String]
    public var fsType: String
    public var source: String
    /// Superblock options (`ro,device=/path,domain_id=...`, overlayfs' `lowerdir=...`).
    public var superOptions: [String]

    /// The value of a superblock option `NAME=VALUE` (the last one when repeated).
    public func option(_ name: String) -> String? { options(name).last }

    /// Every value of a repeated superblock option `NAME=VALUE`, in order.
    public func options(_ name: String) -> [String] {
        superOptions.compactMap { $0.hasPrefix(name + "=") ? String($0.dropFirst(name.count + 1)) : nil }
    }

    /// Whether a flag option (`inode_share`) is present.
    public func hasFlag(_ name: String) -> Bool { superOptions.contains(name) }
}

/// The mount table as `/proc/self/mountinfo` shows it.
public enum MountTable {
    /// Reads the calling thread's mount table.
    public static func read(path: String = "/proc/thread-self/mountinfo") throws -> [MountInfoEntry] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LiveError("cannot read \(path): \(error.localizedDescription)")
        }
        return parse(text)
    }

    /// Parses mountinfo text; malformed lines are skipped.
    public static func parse(_ text: String) -> [MountInfoEntry] {
        text.split(separator: "\n").compactMap { parseLine(String($0)) }
    }

    static func parseLine(_ line: String) -> MountInfoEntry? {
        let halves = line.components(separatedBy: " - ")
        guard halves.count >= 2 else { return nil }
        let left = halves[0].split(separator: " ").map(String.init)
        let right = halves[1...].joined(separator: " - ").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard left.count >= 6, right.count >= 2, let id = Int(left[0]), let parent = Int(left[1]) else { return nil }
        return MountInfoEntry(mountID: id, parentID: parent, device: left[2], root: unescape(left[3]),
                              mountPoint: unescape(left[4]), mountOptions: left[5].split(separator: ",").map(String.init),
                              fsType: right[0], source: unescape(right[1]),
                              superOptions: right.count > 2 ? right[2].split(separator: ",").map { unescape(String($0)) } : [])
    }

    /// Undoes the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why the live view cannot start or go on. Every case says what to do about it.
public struct LiveError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
