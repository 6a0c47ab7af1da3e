import Crypto
import EROFS
import FixtureSupport
import Foundation
import XCTest

/// Layer stacks (`LOWER+...+UPPER`) against the kernel's overlayfs over the same EROFS layers
/// (Tests/Fixtures/layers: real mkfs.erofs 1.9 conversions of OCI layer tars with `.wh.`
/// whiteouts and an opaque directory), and the three layer encodings against each other.
final class LayerStackTests: XCTestCase {
    static let layers = FixturePaths.layers
    static let stacks: [[String]] = [["base", "app1"], ["base", "app2"], ["base", "app1", "app2"], ["app1", "base"]]

    /// Opens `names` converted as `suffix` ("" = --tar=f --aufs, "-oci" = --tar=f, "-tari" = --tar=i --aufs).
    static func stack(_ names: [String], _ suffix: String = "") throws -> LayerStack {
        try LayerStack(names.map { name in
            ImageSpec(path: layers + "/\(name)\(suffix).erofs", devices: suffix == "-tari" ? [layers + "/\(name).tar"] : [])
        })
    }

    /// path → "type mode size sha256-or-target" for every name but the root.
    static func snapshot(_ stack: LayerStack) throws -> [String: String] {
        var out: [String: String] = [:]
        try stack.walk { event in
            guard case .entry(let entry) = event, entry.path != "/" else { return }
            let inode = entry.inode
            var detail = ""
            switch inode.type {
            case .regular: detail = sha(try stack.read(entry, at: 0, count: Int(inode.size)))
            case .symlink: detail = try stack.symlinkTarget(entry)
            case .characterDevice, .blockDevice: detail = "\(inode.rdev.major):\(inode.rdev.minor)"
            default: break
            }
            out[entry.path] = "\(inode.type.rawValue) \(String(inode.permissions, radix: 8)) \(inode.type == .directory ? 0 : inode.size) \(detail)"
        }
        return out
    }

    /// The same, read from a mounted tree with lstat/readlink/read.
    static func snapshot(mountedAt root: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: root)!
        while let rel = walker.nextObject() as? String {
            let full = root + "/" + rel
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            let type: String, detail: String
            switch kind {
            case S_IFREG: type = "file"; detail = sha(Array(try Data(contentsOf: URL(fileURLWithPath: full))))
            case S_IFDIR: type = "dir"; detail = ""
            case S_IFLNK: type = "symlink"; detail = try FileManager.default.destinationOfSymbolicLink(atPath: full)
            case S_IFCHR: type = "chrdev"; detail = "\(major(st.st_rdev)):\(minor(st.st_rdev))"
            default: type = "other"; detail = ""
            }
            let size = kind == S_IFDIR ? 0 : Int(st.st_size)
            out["/" + rel] = "\(type) \(String(st.st_mode & 0o7777, radix: 8)) \(size) \(detail)"
        }
        return out
    }

    static func sha(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
    static func major(_ dev: dev_t) -> UInt32 { UInt32((dev >> 8) & 0xfff) | UInt32((dev >> 32) & 0xffff_f000) }
    static func minor(_ dev: dev_t) -> UInt32 { UInt32(dev & 0xff) | UInt32((dev >> 12) & 0xffff_ff00) }

    static func differences(_ ours: [String: String], _ theirs: [String: String]) -> [String] {
        var out: [String] = []
        for path in Set(ours.keys).union(theirs.keys).sorted() where ours[path] != theirs[path] {
            out.append("\(path): erofs-top \(ours[path] ?? "absent"), expected \(theirs[path] ?? "absent")")
        }
        return out
    }

    // MARK: Semantics from the layer tars

    func testWhiteoutsAndOpaqueDirectoriesOfTheTestLayers() throws {
        let app1 = try Self.snapshot(try Self.stack(["base", "app1"]))
        // app1.tar: json/.wh.tool.py deletes base's file; etc/conf.d/.wh..wh..opq hides a.conf, b.conf.
        XCTAssertNil(app1["/usr/lib/py/json/tool.py"])
        XCTAssertNotNil(app1["/usr/lib/py/json/encoder.py"], "untouched base files stay")
        XCTAssertEqual(Set(app1.keys.filter { $0.hasPrefix("/etc/conf.d/") }), ["/etc/conf.d/app1.conf"])
        XCTAssertFalse(app1.keys.contains { $0.contains(".wh.") }, "whiteout markers are never names")
        let stack = try Self.stack(["base", "app1"])
        XCTAssertEqual(String(decoding: try stack.read(try stack.resolve("/etc/hostname"), at: 0, count: 100), as: UTF8.self), "app1\n", "upper hides lower")
        XCTAssertEqual(try stack.resolve("/etc/hostname").layer, 1)
        XCTAssertEqual(try stack.resolve("/usr/lib/py/email/charset.py").layer, 0)
        XCTAssertEqual(try stack.resolve("/usr/lib/py/json").directories.map(\.layer), [1, 0], "merged directory")
        XCTAssertEqual(try stack.resolve("/etc/conf.d").directories.map(\.layer), [1], "opaque: base's conf.d is hidden")
        XCTAssertThrowsError(try stack.resolve("/usr/bin/py", followFinalSymlink: true), "the symlink's target was whited out") {
            XCTAssertEqual(($0 as? EROFSError)?.kind, .notFound)
        }
        // app2.tar: etc/.wh.conf.d deletes a directory, usr/lib/py/empty becomes a file.
        let all = try Self.snapshot(try Self.stack(["base", "app1", "app2"]))
        XCTAssertFalse(all.keys.contains { $0.hasPrefix("/etc/conf.d") })
        XCTAssertNil(all["/usr/lib/py/email/errors.py"])
        XCTAssertEqual(all["/usr/lib/py/empty"]?.hasPrefix("file "), true)
        XCTAssertNotNil(all["/usr/lib/py/site-packages/six-1.16.0.dist-info/RECORD"], "both wheels' dist-info folders are visible")
        XCTAssertNotNil(all["/usr/lib/py/site-packages/six-1.17.0.dist-info/RECORD"])
    }

    /// The OCI `.wh.` names (layers converted without --aufs), overlayfs whiteouts (--aufs) and
    /// index-mode layers (--tar=i, data in the tars) give the same merged tree.
    func testEveryLayerEncodingGivesTheSameMergedView() throws {
        for names in Self.stacks {
            let aufs = try Self.snapshot(try Self.stack(names))
            XCTAssertGreaterThan(aufs.count, 10)
            ManifestComparison.assertNone(Self.differences(try Self.snapshot(try Self.stack(names, "-oci")), aufs), "OCI .wh. names, \(names)")
            ManifestComparison.assertNone(Self.differences(try Self.snapshot(try Self.stack(names, "-tari")), aufs), "--tar=i, \(names)")
        }
    }

    // MARK: The kernel's overlayfs

    /// Mounts each layer with the kernel's EROFS driver, stacks them with overlayfs and compares
    /// names, types, modes, sizes and contents with the merged view (as root; skipped otherwise).
    func testMergedViewEqualsKernelOverlayfs() throws {
        guard (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8))?.contains("overlay") == true || getuid() != 0 else {
            throw XCTSkip("this kernel has no overlayfs; skipped")
        }
        for suffix in ["", "-tari"] {
            for names in Self.stacks {
                var mounts: [KernelMount] = []
                defer { mounts.forEach { $0.unmount() } }
                for name in names {
                    mounts.append(try KernelMount(image: Self.layers + "/\(name)\(suffix).erofs",
                                                  devices: suffix == "-tari" ? [Self.layers + "/\(name).tar"] : []))
                }
                let target = NSTemporaryDirectory() + "wt13-overlay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: target) }
                let lower = "lowerdir=" + mounts.reversed().map(\.mountpoint).joined(separator: ":")
                guard sysMount("overlay", target, "overlay", 1, lower) == 0 else {
                    throw XCTSkip("the kernel refused the overlay mount (\(String(cString: strerror(errno)))); skipped")
                }
                defer { _ = sysUmount2(target, 2) }
                let kernel = try Self.snapshot(mountedAt: target)
                XCTAssertGreaterThan(kernel.count, 10)
                ManifestComparison.assertNone(Self.differences(try Self.snapshot(try Self.stack(names, suffix)), kernel), "\(names.joined(separator: "+"))\(suffix) vs overlayfs")
            }
        }
    }
}
