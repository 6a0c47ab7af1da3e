import DeterministicRandom
import EROFS
import Foundation
import XCTest

/// Compares everything the reader sees in an image with a source directory on disk.
enum TreeComparison {
    struct Options {
        var compareOwners = true
        var compareMtime = true
        var compareXattrs = true
        var randomReads = 4
    }

    /// Every path of the source must be in the image with the same type, mode, owner, size,
    /// content (whole and random slices), symlink target, xattrs and hard-link identity, and
    /// the image must hold nothing else.
    static func assertImageMatches(_ image: Image, source: String, options: Options = Options(), file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SplitMix64(seed: 42)
        var imagePaths = Set<String>()
        try image.walk { event in
            if case .entry(let path, _) = event, path != "/" { imagePaths.insert(path) }
        }
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(atPath: source) else { XCTFail("cannot list \(source)"); return }
        var sourcePaths = Set<String>()
        var nidBySourceInode: [UInt64: UInt64] = [:]
        var compared = 0
        while let relative = enumerator.nextObject() as? String {
            let path = "/" + relative
            sourcePaths.insert(path)
            var st = stat()
            XCTAssertEqual(lstat(source + path, &st), 0)
            let inode: Inode
            do { inode = try image.resolve(path) } catch {
                XCTFail("\(path): \(error)", file: file, line: line)
                continue
            }
            let what = "\(path) in \(image.path)"
            XCTAssertEqual(UInt32(inode.mode), UInt32(st.st_mode), "mode of \(what)", file: file, line: line)
            if options.compareOwners {
                XCTAssertEqual(inode.uid, st.st_uid, "uid of \(what)", file: file, line: line)
                XCTAssertEqual(inode.gid, st.st_gid, "gid of \(what)", file: file, line: line)
            }
            if options.compareMtime && inode.type != .symlink {
                XCTAssertEqual(Int(inode.mtime), st.st_mtim.tv_sec, "mtime of \(what)", file: file, line: line)
            }
            switch inode.type {
            case .regular:
                XCTAssertEqual(inode.size, UInt64(st.st_size), "size of \(what)", file: file, line: line)
                let expected = try Array(Data(contentsOf: URL(fileURLWithPath: source + path)))
                let actual = try image.contents(of: inode)
                if actual != expected { XCTFail("content of \(what) differs", file: file, line: line) }
                if !expected.isEmpty {
                    for _ in 0..<options.randomReads {
                        let offset = Int(rng.next() % UInt64(expected.count))
                        let count = Int(rng.next() % UInt64(min(expected.count - offset, 70_000))) + 1
                        let slice = try image.read(inode, at: UInt64(offset), count: count)
                        if slice != Array(expected[offset..<min(expected.count, offset + count)]) {
                            XCTFail("slice \(offset)+\(count) of \(what) differs", file: file, line: line)
                        }
                    }
                }
                if st.st_nlink > 1 {
                    if let nid = nidBySourceInode[UInt64(st.st_ino)] {
                        XCTAssertEqual(nid, inode.nid, "hard link \(what) should share its nid", file: file, line: line)
                    } else {
                        nidBySourceInode[UInt64(st.st_ino)] = inode.nid
                    }
                    XCTAssertEqual(inode.nlink, UInt32(st.st_nlink), "nlink of \(what)", file: file, line: line)
                }
            case .symlink:
                let target = readLink(source + path)
                XCTAssertEqual(try image.symlinkTarget(inode), target, "target of \(what)", file: file, line: line)
            case .characterDevice, .blockDevice:
                XCTAssertEqual(inode.rdev.major, UInt32((st.st_rdev >> 8) & 0xFFF) | UInt32((st.st_rdev >> 32) & ~0xFFF), "major of \(what)", file: file, line: line)
                XCTAssertEqual(inode.rdev.minor, UInt32(st.st_rdev & 0xFF) | UInt32((st.st_rdev >> 12) & ~0xFF), "minor of \(what)", file: file, line: line)
            case .directory, .fifo, .socket:
                break
            }
            if options.compareXattrs && inode.type != .symlink {
                let expected = sourceXattrs(source + path)
                let actual = Dictionary(try image.xattrs(of: inode).filter { !$0.isHidden }.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                XCTAssertEqual(actual, expected, "xattrs of \(what)", file: file, line: line)
            }
            compared += 1
        }
        XCTAssertEqual(imagePaths, sourcePaths, "the image should hold exactly the source's paths", file: file, line: line)
        XCTAssertGreaterThan(compared, 0, file: file, line: line)
    }

    static func sourceXattrs(_ path: String) -> [String: [UInt8]] {
        var names = [CChar](repeating: 0, count: 65536)
        let length = llistxattr(path, &names, names.count)
        guard length > 0 else { return [:] }
        var out: [String: [UInt8]] = [:]
        let raw = names[0..<length].split(separator: 0)
        for chars in raw {
            let name = String(decoding: chars.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var value = [UInt8](repeating: 0, count: 65536)
            let n = lgetxattr(path, name, &value, value.count)
            if n >= 0 { out[name] = Array(value[0..<n]) }
        }
        return out
    }

    /// Compares two extracted trees: same paths, types, modes, contents, link targets, mtimes.
    static func assertTreesEqual(_ a: String, _ b: String, compareMtime: Bool = true, modeMask: mode_t = 0o177777, file: StaticString = #filePath, line: UInt = #line) throws {
        let fm = FileManager.default
        let left = Set((fm.enumerator(atPath: a)?.allObjects as? [String]) ?? [])
        let right = Set((fm.enumerator(atPath: b)?.allObjects as? [String]) ?? [])
        XCTAssertEqual(left, right, "paths of \(a) and \(b)", file: file, line: line)
        for path in left.intersection(right).sorted() {
            var sa = stat(), sb = stat()
            lstat(a + "/" + path, &sa)
            lstat(b + "/" + path, &sb)
            XCTAssertEqual(sa.st_mode & modeMask, sb.st_mode & modeMask, "mode of \(path)", file: file, line: line)
            if compareMtime && (sa.st_mode & S_IFMT) != S_IFLNK {
                XCTAssertEqual(sa.st_mtim.tv_sec, sb.st_mtim.tv_sec, "mtime of \(path)", file: file, line: line)
            }
            switch sa.st_mode & S_IFMT {
            case S_IFREG:
                XCTAssertEqual(sa.st_size, sb.st_size, "size of \(path)", file: file, line: line)
                if fm.contentsEqual(atPath: a + "/" + path, andPath: b + "/" + path) == false { XCTFail("content of \(path)", file: file, line: line) }
            case S_IFLNK:
                XCTAssertEqual(readLink(a + "/" + path), readLink(b + "/" + path), "target of \(path)", file: file, line: line)
            default: break
            }
        }
    }
}

/// readlink(2) without Foundation's length limit.
func readLink(_ path: String) -> String {
    var buffer = [CChar](repeating: 0, count: 8192)
    let n = readlink(path, &buffer, buffer.count)
    guard n >= 0 else { return "" }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
