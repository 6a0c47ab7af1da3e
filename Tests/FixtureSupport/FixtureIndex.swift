import Crypto
import EROFS
import Foundation

/// Paths of the committed fixtures, from this file's place in the checkout.
public enum FixturePaths {
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    public static let directory = repositoryRoot + "/Tests/Fixtures"
    public static let images = directory + "/images"
    /// Layer tars and their EROFS conversions (make-layer-fixtures.sh).
    public static let layers = directory + "/layers"
    /// Folder of the bundled CLI samples.
    public static let samples = repositoryRoot + "/Sources/CLI/Samples"
}

/// One image listed in a fixture `index.json` (format `erofs-top-fixtures/1`, written by
/// `Tests/Fixtures/fixture_index.py` and `Sources/CLI/Samples/make-samples.sh`).
public struct FixtureImage {
    /// The folder holding the index, the image and its blobs.
    public var directory: String
    public var file: String
    /// Manifest path relative to `directory`.
    public var manifest: String
    /// Extra devices in slot order, relative to `directory`.
    public var devices: [String]
    public var features: [String]
    public var flat: Bool
    public var uuid: String
    public var blockSize: Int

    public var path: String { directory + "/" + file }
    public var devicePaths: [String] { devices.map { directory + "/" + $0 } }
    public var isCompressed: Bool { file.hasPrefix("z-") || features.contains("compressed") }
    /// Rebuild-mode images whose devices are other EROFS images found by UUID tag.
    public var resolvesByTag: Bool { !devices.isEmpty && devices.allSatisfy { $0.hasSuffix(".erofs") } }

    /// The spec a user would give: rebuild-mode images by path alone (blobs found by UUID tag
    /// in the same folder), others with `device=` per blob. Flat images are opened with an
    /// empty blob folder, so that their devices can only come from the primary itself.
    public var spec: ImageSpec {
        if flat { return ImageSpec(path: path, blobDirectory: FixtureIndex.emptyDirectory) }
        return resolvesByTag ? ImageSpec(path: path) : ImageSpec(path: path, devices: devicePaths)
    }

    public func open() throws -> Image { try Image(spec) }
    public func loadManifest() throws -> Manifest { try Manifest(path: directory + "/" + manifest) }
}

/// Reads fixture indexes.
public enum FixtureIndex {
    /// An empty folder (created once per test run), for opening images with no blobs around.
    public static let emptyDirectory: String = {
        let path = NSTemporaryDirectory() + "erofs-top-tests-empty-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Every image of the index in `directory`.
    public static func images(in directory: String) throws -> [FixtureImage] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/index.json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["images"] as? [[String: Any]] else {
            throw EROFSError(.invalidArgument, "\(directory)/index.json has no images list")
        }
        return list.map { item in
            FixtureImage(directory: directory, file: item["file"] as? String ?? "", manifest: item["manifest"] as? String ?? "",
                         devices: item["devices"] as? [String] ?? [], features: item["features"] as? [String] ?? [],
                         flat: item["flat"] as? Bool ?? false, uuid: item["uuid"] as? String ?? "",
                         blockSize: item["blockSize"] as? Int ?? 0)
        }
    }

    /// Every image of `Tests/Fixtures/images`.
    public static func allFixtures() throws -> [FixtureImage] { try images(in: FixturePaths.images) }

    /// The uncompressed images of `Tests/Fixtures/images`.
    public static func uncompressedFixtures() throws -> [FixtureImage] {
        try allFixtures().filter { !$0.isCompressed }
    }

    /// The compressed images of `Tests/Fixtures/images` (`z-*.erofs`).
    public static func compressedFixtures() throws -> [FixtureImage] {
        try allFixtures().filter(\.isCompressed)
    }

    /// The bundled samples of `Sources/CLI/Samples`.
    public static func sampleImages() throws -> [FixtureImage] { try images(in: FixturePaths.samples) }
}

/// A manifest (`erofs-top-manifest/1`, see `Tests/Fixtures/manifest.py`): the expected view
/// of every path of an image.
public struct Manifest {
    public struct Entry {
        public var type: String
        public var mode: Int
        public var uid: Int
        public var gid: Int
        public var mtime: Int?
        public var nlink: Int?
        public var size: Int?
        public var sha256: String?
        public var target: String?
        public var rdev: [Int]?
        /// name → hex value, as the kernel lists them.
        public var xattrs: [String: String]
        /// Hex of the expected fingerprint xattr value (`sha256:` + 32 raw bytes).
        public var fingerprint: String?
        /// Hard-link group id.
        public var inode: Int
    }

    public var entries: [String: Entry]
    /// The xattr name of `--xattr-inode-digest`, for digest manifests.
    public var fingerprintXattr: String?

    public init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let raw = root["entries"] as? [String: [String: Any]] else {
            throw EROFSError(.invalidArgument, "\(path) is not a manifest")
        }
        fingerprintXattr = root["fingerprintXattr"] as? String
        entries = raw.mapValues { e in
            Entry(type: e["type"] as? String ?? "?", mode: e["mode"] as? Int ?? -1, uid: e["uid"] as? Int ?? -1, gid: e["gid"] as? Int ?? -1,
                  mtime: e["mtime"] as? Int, nlink: e["nlink"] as? Int, size: e["size"] as? Int, sha256: e["sha256"] as? String,
                  target: e["target"] as? String, rdev: e["rdev"] as? [Int], xattrs: e["xattrs"] as? [String: String] ?? [:],
                  fingerprint: e["fingerprint"] as? String, inode: e["inode"] as? Int ?? 0)
        }
    }

    /// Regular files with content, in sorted path order.
    public var regularFiles: [(path: String, entry: Entry)] {
        entries.filter { $0.value.type == "file" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Hex helpers for tests.
public enum Hex {
    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of `bytes` as lowercase hex.
    public static func sha256(_ bytes: [UInt8]) -> String { string(SHA256.hash(data: bytes)) }

    /// SHA-256 of a file on disk as lowercase hex.
    public static func sha256(file path: String) throws -> String {
        sha256(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
