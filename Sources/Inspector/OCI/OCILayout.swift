import Crypto
import EROFS
import Foundation

/// One layer of an OCI image manifest: its blob file and how it is compressed.
public struct OCILayer: Sendable, Equatable {
    public enum Compression: String, Sendable { case none, gzip, zstd }
    /// `sha256:<hex>`.
    public var digest: String
    public var size: Int64
    public var mediaType: String
    public var compression: Compression
    /// The blob file in the layout.
    public var path: String
    /// The hex part of the digest.
    public var hex: String { String(digest.split(separator: ":").last ?? "") }
}

/// An OCI image layout (index.json, manifests, config, layer blobs) read from a folder, with
/// one manifest chosen: the one whose `org.opencontainers.image.ref.name` is REF, or the only
/// one. Every blob read is checked against its descriptor's size and sha256 digest; a bad
/// layout ends in an `EROFSError` naming the file.
public struct OCILayout: Sendable {
    public let directory: String
    /// The chosen manifest's ref name (nil when it has none).
    public let reference: String?
    /// Layers, lowest first (manifest order).
    public let layers: [OCILayer]

    static let layerTypes: [String: OCILayer.Compression] = [
        "application/vnd.oci.image.layer.v1.tar": .none,
        "application/vnd.oci.image.layer.v1.tar+gzip": .gzip,
        "application/vnd.oci.image.layer.v1.tar+zstd": .zstd,
        "application/vnd.docker.image.rootfs.diff.tar.gzip": .gzip,
        "application/vnd.oci.image.layer.nondistributable.v1.tar": .none,
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip": .gzip,
    ]
    static let manifestTypes = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"]
    static let indexTypes = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]

    /// Parses `DIR[:REF]`.
    public init(argument: String) throws {
        var dir = argument, ref: String?
        if !FileManager.default.fileExists(atPath: argument), let colon = argument.lastIndex(of: ":") {
            dir = String(argument[..<colon])
            ref = String(argument[argument.index(after: colon)...])
        }
        try self.init(directory: dir, reference: ref)
    }

    public init(directory: String, reference wanted: String? = nil) throws {
        self.directory = directory
        let layoutFile = directory + "/oci-layout"
        if FileManager.default.fileExists(atPath: layoutFile) {
            let layout = try Self.object(at: layoutFile)
            guard layout["imageLayoutVersion"] is String else { throw Self.bad(layoutFile, "no imageLayoutVersion") }
        }
        let indexFile = directory + "/index.json"
        var descriptors = try Self.manifests(in: try Self.object(at: indexFile), file: indexFile)
        if let wanted {
            descriptors = descriptors.filter { ($0["annotations"] as? [String: Any])?["org.opencontainers.image.ref.name"] as? String == wanted }
            guard !descriptors.isEmpty else { throw Self.bad(indexFile, "no manifest with ref name '\(wanted)'") }
        }
        // A nested index (multi-platform image): take its linux/amd64 manifest, else its first.
        var chosen = descriptors[0]
        var chosenFrom = indexFile
        while Self.indexTypes.contains(chosen["mediaType"] as? String ?? "") {
            let (nested, file) = try Self.blobObject(chosen, in: directory, from: chosenFrom)
            let inner = try Self.manifests(in: nested, file: file)
            chosen = inner.first { p in
                let platform = p["platform"] as? [String: Any]
                return platform?["os"] as? String == "linux" && platform?["architecture"] as? String == "amd64"
            } ?? inner[0]
            chosenFrom = file
        }
        guard descriptors.count == 1 || wanted != nil else {
            throw Self.bad(indexFile, "\(descriptors.count) manifests; choose one with DIR:REF (ref names: \(descriptors.compactMap { ($0["annotations"] as? [String: Any])?["org.opencontainers.image.ref.name"] as? String }.joined(separator: ", ")))")
        }
        reference = (chosen["annotations"] as? [String: Any])?["org.opencontainers.image.ref.name"] as? String ?? wanted
        let (manifest, manifestFile) = try Self.blobObject(chosen, in: directory, from: chosenFrom)
        guard let config = manifest["config"] as? [String: Any] else { throw Self.bad(manifestFile, "the manifest has no config") }
        _ = try Self.blobObject(config, in: directory, from: manifestFile)
        guard let layerList = manifest["layers"] as? [[String: Any]] else { throw Self.bad(manifestFile, "the manifest has no layers") }
        layers = try layerList.map { d in
            let type = d["mediaType"] as? String ?? ""
            guard let compression = Self.layerTypes[type] else {
                throw Self.bad(manifestFile, "layer \(d["digest"] as? String ?? "?") has media type '\(type)', which is not a layer tar erofs-top converts (tar, tar+gzip, tar+zstd)")
            }
            let path = try Self.verifiedBlob(d, in: directory, from: manifestFile)
            return OCILayer(digest: d["digest"] as! String, size: (d["size"] as? NSNumber)?.int64Value ?? 0, mediaType: type, compression: compression, path: path)
        }
    }

    // MARK: Reading and checking

    static func bad(_ file: String, _ detail: String) -> EROFSError {
        EROFSError(.invalidArgument, "OCI layout: \(detail)", image: file)
    }

    static func object(at file: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: file) else { throw bad(file, "cannot read the file") }
        guard let value = try? JSONSerialization.jsonObject(with: data), let object = value as? [String: Any] else {
            throw bad(file, "not a JSON object")
        }
        return object
    }

    static func manifests(in index: [String: Any], file: String) throws -> [[String: Any]] {
        guard let list = index["manifests"] as? [[String: Any]], !list.isEmpty else { throw bad(file, "no manifests") }
        return list
    }

    /// The blob a descriptor names, checked against its size and digest.
    static func verifiedBlob(_ descriptor: [String: Any], in directory: String, from file: String) throws -> String {
        guard let digest = descriptor["digest"] as? String, let size = (descriptor["size"] as? NSNumber)?.int64Value else {
            throw bad(file, "a descriptor lacks digest or size")
        }
        let parts = digest.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "sha256", parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else {
            throw bad(file, "unsupported digest '\(digest)' (sha256 only)")
        }
        let path = directory + "/blobs/sha256/" + parts[1]
        guard let handle = FileHandle(forReadingAtPath: path) else { throw bad(path, "blob \(digest) named in \(file) is missing") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += Int64(chunk.count)
        }
        guard total == size else { throw bad(path, "blob is \(total) bytes but \(file) says \(size)") }
        let actual = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard actual == parts[1] else { throw bad(path, "digest mismatch: the content hashes to sha256:\(actual), \(file) names \(digest)") }
        return path
    }

    static func blobObject(_ descriptor: [String: Any], in directory: String, from file: String) throws -> ([String: Any], String) {
        let path = try verifiedBlob(descriptor, in: directory, from: file)
        return (try object(at: path), path)
    }
}
