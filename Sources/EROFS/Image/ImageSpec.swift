import Foundation

/// How the user names an image: `PATH[,device=BLOB]...`, devices in slot order as with
/// mount's `-o device=`.
public struct ImageSpec: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var devices: [String]
    /// Folder searched for blobs by tag when `devices` is empty; defaults to the image's own folder.
    public var blobDirectory: String?
    /// Open even when some extra devices cannot be found or do not match their slots
    /// (metadata-only use: listing, stat, sharing analysis with stored fingerprints);
    /// reading their data then fails with `.blobMissing` / `.blobMismatch` naming the device.
    public var allowMissingDevices = false

    public init(path: String, devices: [String] = [], blobDirectory: String? = nil) {
        self.path = path
        self.devices = devices
        self.blobDirectory = blobDirectory
    }

    /// Parses `PATH[,device=BLOB]...`.
    public init(parsing text: String, blobDirectory: String? = nil) throws {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else {
            throw EROFSError(.invalidArgument, "empty image path in '\(text)'")
        }
        parts.removeFirst()
        var devices: [String] = []
        for part in parts {
            guard part.hasPrefix("device="), part.count > 7 else {
                throw EROFSError(.invalidArgument, "unknown image option '\(part)' in '\(text)' (expected device=BLOB)")
            }
            devices.append(String(part.dropFirst(7)))
        }
        self.init(path: first, devices: devices, blobDirectory: blobDirectory)
    }

    public var description: String {
        ([path] + devices.map { "device=\($0)" }).joined(separator: ",")
    }
}
