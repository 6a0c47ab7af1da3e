import Foundation
import Glibc

/// The images behind the `report` benchmark: the bundled samples' shape at scale.
///
/// A base layer of `files - appFiles` files and three app layers of `appFiles` files (v2 is v1
/// with a fifth of its files changed and some base files overridden, v3 the same over v2), built
/// by mkfs.erofs 1.9 (`-E^inline_data --xattr-inode-digest`, fixed UUIDs), then merged in rebuild
/// mode into three images of `files` regular files each that reference the layers as blobs:
/// blob sharing finds the base layer, inode and chunk sharing also the unchanged app files.
///
/// Built once into `cache/report-<key>/` (the key hashes every parameter and the generator
/// version); later runs reuse it. Files are small (64 B to 128 KiB, most under 4 KiB).
struct ReportScenario {
    let files: Int
    let appFiles: Int
    let seed: UInt64
    /// Bump when the generated trees or build options change, so stale caches are not reused.
    static let generatorVersion = 1
    static let layerUUIDs = ["5a000000-0000-4000-8000-0000000000ba", "5a000000-0000-4000-8000-0000000000a1",
                             "5a000000-0000-4000-8000-0000000000a2", "5a000000-0000-4000-8000-0000000000a3"]

    init(files: Int, seed: UInt64 = 42) {
        self.files = files
        self.appFiles = max(1, files / 10)
        self.seed = seed
    }

    var baseFiles: Int { files - appFiles }
    /// Stable across runs: FNV-1a of the parameters.
    var key: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "v\(Self.generatorVersion) files=\(files) app=\(appFiles) seed=\(seed)".utf8 {
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }

    /// Paths of the regular files every merged image holds, in the order the trace picks them.
    var paths: [String] {
        (0..<baseFiles).map(Self.basePath) + (0..<appFiles).map(Self.appPath)
    }

    static func basePath(_ i: Int) -> String { "/usr/lib/p\(i / 1000)/m\(i).py" }
    static func appPath(_ i: Int) -> String { "/app/a\(i / 1000)/m\(i).py" }

    /// The merged images, building them (and the layers) into `folder` first when missing.
    func images(in folder: String, mkfs: [String], log: (String) -> Void) throws -> [String] {
        let merged = (1...3).map { folder + "/image-v\($0).erofs" }
        let done = folder + "/complete"
        if FileManager.default.fileExists(atPath: done) {
            log("report scenario: reusing \(folder)")
            return merged
        }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let start = Date()
        let trees = folder + "/trees"
        var writer = TreeWriter(seed: seed)
        let layers = ["base", "app-v1", "app-v2", "app-v3"]
        for (n, layer) in layers.enumerated() {
            let root = trees + "/" + layer
            let t = Date()
            let bytes = try n == 0 ? writeBase(root, &writer) : writeApp(root, version: n, &writer)
            try BenchProcess.run(mkfs + ["--quiet", "-T0", "--mkfs-time", "-U" + Self.layerUUIDs[n], "-E^inline_data",
                                         "--xattr-inode-digest", folder + "/layer-\(layer).erofs", root])
            try FileManager.default.removeItem(atPath: root)
            log(String(format: "  layer %@: %.1f MB of files, tree + mkfs.erofs %.1f s", layer, Double(bytes) / 1e6, Date().timeIntervalSince(t)))
        }
        for (k, image) in merged.enumerated() {
            try BenchProcess.run(mkfs + ["--quiet", "-T0", "--mkfs-time", "-U5b000000-0000-4000-8000-0000000000b\(k + 1)", image,
                                         folder + "/layer-base.erofs", folder + "/layer-app-v\(k + 1).erofs"])
        }
        try? FileManager.default.removeItem(atPath: trees)
        FileManager.default.createFile(atPath: done, contents: Data("\(files) files, built in \(Date().timeIntervalSince(start)) s\n".utf8))
        log(String(format: "report scenario: built in %.1f s into %@", Date().timeIntervalSince(start), folder))
        return merged
    }

    private func writeBase(_ root: String, _ writer: inout TreeWriter) throws -> UInt64 {
        var bytes: UInt64 = 0
        for i in 0..<baseFiles { bytes += try writer.writeFile(root + Self.basePath(i), index: i, variant: 0) }
        return bytes
    }

    /// App layer `version` (1…3): file i changes in version v when `i % 5 == v - 2` (v ≥ 2),
    /// so each version changes a fifth of the files; versions 2 and 3 also override 1 % of the
    /// base files (hotfixes) with new contents.
    private func writeApp(_ root: String, version: Int, _ writer: inout TreeWriter) throws -> UInt64 {
        var bytes: UInt64 = 0
        for i in 0..<appFiles {
            let changedIn = i % 5 + 2
            let variant = changedIn <= version ? changedIn : 0
            bytes += try writer.writeFile(root + Self.appPath(i), index: baseFiles + i, variant: 1000 + variant)
        }
        if version >= 2 {
            for i in stride(from: version, to: baseFiles, by: 100) {
                bytes += try writer.writeFile(root + Self.basePath(i), index: i, variant: 2000 + version)
            }
        }
        return bytes
    }
}

/// Writes benchmark files with POSIX calls: deterministic sizes and contents sliced from a
/// random pool, so equal (index, variant) pairs give equal files and others differ.
struct TreeWriter {
    private let pool: [UInt8]
    private var madeDirectories = Set<String>()
    private let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
        var rng = SplitMix(seed: seed)
        var pool = [UInt8](repeating: 0, count: 8 << 20)
        pool.withUnsafeMutableBytes { raw in
            for i in 0..<(raw.count / 8) { raw.storeBytes(of: rng.next(), toByteOffset: i * 8, as: UInt64.self) }
        }
        self.pool = pool
    }

    /// Size of file `index`: 80 % under 4 KiB, 18 % 4–16 KiB, 2 % 16–128 KiB.
    static func size(_ index: Int, variant: Int, seed: UInt64) -> Int {
        var rng = SplitMix(seed: seed ^ UInt64(index) &* 0x9E37_79B9 ^ UInt64(variant) << 40)
        let r = rng.next()
        switch r % 100 {
        case 0..<80: return 64 + Int(rng.next() % 4032)
        case 80..<98: return 4096 + Int(rng.next() % 12_288)
        default: return 16_384 + Int(rng.next() % 114_688)
        }
    }

    /// Writes file `index` in `variant` at `path`; returns its size.
    mutating func writeFile(_ path: String, index i: Int, variant: Int) throws -> UInt64 {
        let dir = String(path[..<path.lastIndex(of: "/")!])
        if !madeDirectories.contains(dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            madeDirectories.insert(dir)
        }
        let size = Self.size(i, variant: variant, seed: seed)
        var rng = SplitMix(seed: seed &+ UInt64(i) &* 31 &+ UInt64(variant) &* 7919)
        let start = Int(rng.next() % UInt64(pool.count - size))
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path)") }
        defer { Glibc.close(fd) }
        let written = pool.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + start, size) }
        guard written == size else { throw BenchError("short write to \(path)") }
        return UInt64(size)
    }
}
