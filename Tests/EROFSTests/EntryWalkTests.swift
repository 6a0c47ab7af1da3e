@testable import EROFS
import Foundation
import FuzzHarness
import XCTest

/// `walkEntries` (and `walk`, built on it) visit what the walk over `readDirectory` and
/// `inode` visited before, kept here as the reference: the same paths, inodes and order, and
/// on damaged images the same error.
final class EntryWalkTests: XCTestCase {
    /// One visited step, or the error that ended the walk.
    enum Step: Equatable {
        case entry(String, UInt64)
        case leave(String, UInt64)
        case error(String)
    }

    /// The walk as it was written over `readDirectory` and `inode`.
    func referenceWalk(_ image: Image, from start: String) -> [Step] {
        var steps: [Step] = []
        do {
            let root = try image.resolve(start, followFinalSymlink: true)
            var seen: Set<UInt64> = [root.nid]
            let base = start == "/" || start.isEmpty ? "" : "/" + start.split(separator: "/").joined(separator: "/")
            steps.append(.entry(base.isEmpty ? "/" : base, root.nid))
            func walkDirectory(_ dir: Inode, path: String, depth: Int) throws {
                guard depth <= Image.maxWalkDepth else {
                    throw EROFSError(.limitExceeded, "directory tree deeper than \(Image.maxWalkDepth) levels", image: image.path, nid: dir.nid, path: path)
                }
                let entries: [DirectoryEntry]
                do { entries = try image.readDirectory(dir) } catch var error as EROFSError {
                    if error.path == nil { error.path = path.isEmpty ? "/" : path }
                    throw error
                }
                for entry in entries where !entry.isDotOrDotDot {
                    let childPath = path + "/" + entry.name
                    let child: Inode
                    do { child = try image.inode(entry.nid) } catch var error as EROFSError {
                        if error.path == nil { error.path = childPath }
                        throw error
                    }
                    if child.type == .directory {
                        guard seen.insert(child.nid).inserted else {
                            throw EROFSError(.directoryCycle, "directory nid \(child.nid) is reached a second time (a cycle or a hard-linked directory)", image: image.path, nid: child.nid, path: childPath)
                        }
                        steps.append(.entry(childPath, child.nid))
                        try walkDirectory(child, path: childPath, depth: depth + 1)
                        steps.append(.leave(childPath, child.nid))
                    } else {
                        steps.append(.entry(childPath, child.nid))
                    }
                }
            }
            if root.type == .directory {
                try walkDirectory(root, path: base, depth: 1)
                steps.append(.leave(base.isEmpty ? "/" : base, root.nid))
            }
        } catch {
            steps.append(.error("\(error)"))
        }
        return steps
    }

    func walkSteps(_ image: Image, from start: String) -> [Step] {
        var steps: [Step] = []
        do {
            try image.walk(from: start) { event in
                switch event {
                case .entry(let path, let inode): steps.append(.entry(path, inode.nid))
                case .leaveDirectory(let path, let inode): steps.append(.leave(path, inode.nid))
                }
            }
        } catch {
            steps.append(.error("\(error)"))
        }
        return steps
    }

    /// `walkEntries` without leave steps, checking each step's name against its path.
    func entrySteps(_ image: Image, from start: String, file: StaticString = #filePath, line: UInt = #line) -> [Step] {
        var steps: [Step] = []
        do {
            try image.walkEntries(from: start) { entry in
                XCTAssertFalse(entry.isLeavingDirectory)
                let path = entry.pathString
                let name = String(decoding: entry.name, as: UTF8.self)
                XCTAssertEqual(name, path == "/" ? "/" : String(path[path.index(after: path.lastIndex(of: "/")!)...]), path, file: file, line: line)
                steps.append(.entry(path, entry.inode.nid))
            }
        } catch {
            steps.append(.error("\(error)"))
        }
        return steps
    }

    /// `walkEntries` reading every directory block by block (as it reads directories over
    /// `Image.wholeDirectoryLimit`), as entry steps.
    func blockByBlockSteps(_ image: Image, from start: String) -> [Step] {
        var steps: [Step] = []
        do {
            try image.walkEntries(from: start, reportsLeaving: true, wholeDirectoryLimit: 0) { entry in
                steps.append(entry.isLeavingDirectory ? .leave(entry.pathString, entry.inode.nid) : .entry(entry.pathString, entry.inode.nid))
            }
        } catch {
            steps.append(.error("\(error)"))
        }
        return steps
    }

    func imagePaths() throws -> [String] {
        var paths: [String] = []
        for folder in [Fixtures.images, Fixtures.directory + "/corrupt", Fixtures.directory + "/fuzz-regressions"] {
            paths += try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".erofs") }.sorted().map { folder + "/" + $0 }
        }
        return paths
    }

    func compare(_ image: Image, from start: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let expected = referenceWalk(image, from: start)
        XCTAssertEqual(walkSteps(image, from: start), expected, label, file: file, line: line)
        XCTAssertEqual(blockByBlockSteps(image, from: start), expected, "\(label), block by block", file: file, line: line)
        let withoutLeaves = expected.filter { if case .leave = $0 { return false }; return true }
        XCTAssertEqual(entrySteps(image, from: start, file: file, line: line), withoutLeaves, label, file: file, line: line)
        return expected.count
    }

    /// Every committed image, whole and from its first subdirectory, with and without the
    /// metadata cache.
    func testWalksMatchTheReferenceOnEveryFixture() throws {
        var steps = 0, errors = 0, images = 0
        for path in try imagePaths() {
            guard let image = try? Image(path: path) else { continue }
            images += 1
            for cached in [false, true] {
                image.cachesMetadata = cached
                let reference = referenceWalk(image, from: "/")
                if case .error = reference.last { errors += 1 }
                steps += compare(image, from: "/", "\(path) cached \(cached)")
                if case .entry(let sub, _)? = reference.dropFirst().first(where: {
                    if case .entry(let p, let nid) = $0 { return (try? image.inode(nid))?.type == .directory && !p.isEmpty }
                    return false
                }) {
                    steps += compare(image, from: sub, "\(path) from \(sub)")
                    steps += compare(image, from: sub + "/", "\(path) from \(sub)/")
                }
            }
        }
        XCTAssertGreaterThan(images, 60)
        XCTAssertGreaterThan(steps, 2000)
        XCTAssertGreaterThan(errors, 10, "damaged images end their walks in errors")
    }

    /// Names that are not UTF-8 are repaired in the walk's paths as `String(decoding:)` repairs them.
    func testInvalidUTF8NamesAreRepairedAsBefore() throws {
        let source = Fixtures.images + "/plain.erofs"
        let original = try Image(path: source)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: source)))
        // Replace the last byte of the last name in the root's first block with 0xFF: still sorted.
        let root = try original.rootInode()
        let at: UInt64
        switch try original.extent(of: root, at: 0).location {
        case .device(_, let offset): at = offset
        case .inline(let offset): at = offset
        default: throw XCTSkip("root directory data is not stored plainly")
        }
        let start = Int(at), size = Int(min(UInt64(original.blockSize), root.size))
        func le16(_ i: Int) -> Int { Int(bytes[start + i]) | Int(bytes[start + i + 1]) << 8 }
        let count = le16(8) / 12
        var end = le16((count - 1) * 12 + 8)
        while end < size && bytes[start + end] != 0 { end += 1 }
        bytes[start + end - 1] = 0xFF
        _ = SuperblockChecksum.fix(&bytes)  // the root's data may share the superblock's block
        let copy = NSTemporaryDirectory() + "entry-walk-\(getpid()).erofs"
        try Data(bytes).write(to: URL(fileURLWithPath: copy))
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let image = try Image(path: copy)
        let expected = referenceWalk(image, from: "/")
        XCTAssertTrue(expected.contains { if case .entry(let p, _) = $0 { return p.contains("\u{FFFD}") }; return false }, "\(expected)")
        _ = compare(image, from: "/", "edited \(copy)")
    }
}
