/// One step of `Image.walkEntries`: the entry's path and name as bytes, valid only during the
/// visit (the walk reuses its buffers; copy what must outlive it).
public struct WalkedEntry {
    /// The path from the walk's start ("/" for the root, "/a/b" below it), in UTF-8: invalid
    /// sequences in a name are repaired as `String(decoding:as:)` repairs them.
    public let path: UnsafeRawBufferPointer
    /// The last component of `path` ("/" for the root).
    public let name: UnsafeRawBufferPointer
    public let inode: Inode
    /// True for the step after all children of the directory at `path` were visited (only in
    /// a walk that reports leaving).
    public let isLeavingDirectory: Bool

    /// The path as text.
    public var pathString: String { String(decoding: path, as: UTF8.self) }
}

extension Image {
    /// Directories up to this size are read whole before their entries are visited; larger
    /// ones are read again block by block (memory stays bounded for corrupt sizes).
    static let wholeDirectoryLimit = 16 << 20

    /// Walks the tree below `start` depth-first in directory order like `walk`, handing out
    /// each entry's path and name as bytes: no `String`, array or directory entry per name.
    /// `reportsLeaving`: also visit each directory again after its children.
    public func walkEntries(from start: String = "/", reportsLeaving: Bool = false, _ visit: (WalkedEntry) throws -> Void) throws {
        try walkEntries(from: start, reportsLeaving: reportsLeaving, wholeDirectoryLimit: Self.wholeDirectoryLimit, visit)
    }

    /// `walkEntries` reading directories larger than `wholeDirectoryLimit` block by block (tests
    /// pass 0 to take that path on every directory).
    func walkEntries(from start: String, reportsLeaving: Bool, wholeDirectoryLimit: Int, _ visit: (WalkedEntry) throws -> Void) throws {
        let root = try resolve(start, followFinalSymlink: true)
        let base = start == "/" || start.isEmpty ? "" : "/" + start.split(separator: "/").joined(separator: "/")
        var walker = EntryWalker(image: self, reportsLeaving: reportsLeaving, wholeDirectoryLimit: wholeDirectoryLimit)
        defer { walker.deallocate() }
        try walker.run(root: root, base: base, visit)
    }
}

/// A growable run of bytes in raw memory, used as a stack (the walk's path, its directories' data).
private struct ByteStack {
    var base: UnsafeMutableRawPointer
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(byteCount: capacity, alignment: 16)
    }

    mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let moved = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
        moved.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = moved
        capacity = grown
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: from, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}

/// The state of one `walkEntries`: the current path and the data of the directories on it.
private struct EntryWalker {
    let image: Image
    let reportsLeaving: Bool
    let wholeDirectoryLimit: Int
    let blockSize: Int
    var path = ByteStack(capacity: 4096)
    /// Per directory on the current path: 256 bytes for the last name of its previous block,
    /// then its blocks (all of them, or the current one for a directory read block by block).
    var data = ByteStack(capacity: 64 << 10)
    var seen: Set<UInt64> = []

    init(image: Image, reportsLeaving: Bool, wholeDirectoryLimit: Int) {
        self.image = image
        self.reportsLeaving = reportsLeaving
        self.wholeDirectoryLimit = wholeDirectoryLimit
        blockSize = image.superblock.blockSize
    }

    func deallocate() {
        path.base.deallocate()
        data.base.deallocate()
    }

    /// The current path as text, for error messages ("/" for the root).
    var pathText: String { path.count == 0 ? "/" : String(decoding: path.bytes(0..<path.count), as: UTF8.self) }

    mutating func run(root: Inode, base: String, _ visit: (WalkedEntry) throws -> Void) throws {
        seen = [root.nid]
        var text = base.isEmpty ? "/" : base
        text.withUTF8 { path.append(UnsafeRawBufferPointer($0)) }
        var nameStart = path.count
        while nameStart > 0 && path.bytes(0..<path.count)[nameStart - 1] != 0x2F { nameStart -= 1 }
        if nameStart == path.count { nameStart = 0 }  // "/": the root's name is "/"
        try self.visit(root, nameStart: nameStart, leaving: false, visit)
        guard root.type == .directory else { return }
        if base.isEmpty { path.count = 0 }  // children are "/" + name
        try walkDirectory(root, depth: 1, visit)
        guard reportsLeaving else { return }
        path.count = 0
        text.withUTF8 { path.append(UnsafeRawBufferPointer($0)) }
        try self.visit(root, nameStart: nameStart, leaving: true, visit)
    }

    @inline(__always)
    func visit(_ inode: Inode, nameStart: Int, leaving: Bool, _ visit: (WalkedEntry) throws -> Void) throws {
        try visit(WalkedEntry(path: path.bytes(0..<path.count), name: path.bytes(nameStart..<path.count), inode: inode, isLeavingDirectory: leaving))
    }

    mutating func walkDirectory(_ dir: Inode, depth: Int, _ visit: (WalkedEntry) throws -> Void) throws {
        guard depth <= Image.maxWalkDepth else {
            throw EROFSError(.limitExceeded, "directory tree deeper than \(Image.maxWalkDepth) levels", image: image.path, nid: dir.nid, path: pathText)
        }
        let frame = data.count
        defer { data.count = frame }
        let blocks: UInt64, wholeInMemory: Bool
        do { (blocks, wholeInMemory) = try loadDirectory(dir) } catch let error as EROFSError { throw error.located(path: pathText) }
        let blockSize = UInt64(blockSize)
        for index in 0..<blocks {
            let size = Int(min(blockSize, dir.size - index * blockSize))
            var at = frame + 256
            if wholeInMemory {
                at += Int(index) * Int(blockSize)
            } else {
                // Read again: check it again (the file may have changed in between).
                do {
                    try readBlock(dir, index: index, size: size, at: at)
                    _ = try image.validateDirectoryBlock(data.bytes(at..<(at + size)), blockIndex: index, nid: dir.nid)
                } catch let error as EROFSError { throw error.located(path: pathText) }
            }
            var entry = 0
            var count = 1
            while entry < count {
                // `data` may move while a child is walked: take the block's address for each entry.
                let block = data.bytes(at..<(at + size))
                count = Int(block.le16(8)) / 12
                let (nameOff, nameEnd) = image.direntName(block, entry: entry, count: count)
                guard nameOff >= count * 12, nameOff < nameEnd, nameEnd <= size else {
                    throw EROFSError(.direntNameOffset, "directory block \(index), entry \(entry): name offsets \(nameOff)..<\(nameEnd) out of bounds", image: image.path, nid: dir.nid, path: pathText)
                }
                let nid = block.le64(entry * 12)
                entry += 1
                let name = UnsafeRawBufferPointer(rebasing: block[nameOff..<nameEnd])
                if name.count <= 2 && name[0] == 0x2E && (name.count == 1 || name[1] == 0x2E) { continue }
                let parentLength = path.count
                path.append(0x2F)
                let nameStart = path.count
                appendName(name)
                let child: Inode
                do { child = try image.inode(nid) } catch let error as EROFSError { throw error.located(path: pathText) }
                if child.type == .directory {
                    guard seen.insert(child.nid).inserted else {
                        throw EROFSError(.directoryCycle, "directory nid \(child.nid) is reached a second time (a cycle or a hard-linked directory)", image: image.path, nid: child.nid, path: pathText)
                    }
                    try self.visit(child, nameStart: nameStart, leaving: false, visit)
                    try walkDirectory(child, depth: depth + 1, visit)
                    if reportsLeaving { try self.visit(child, nameStart: nameStart, leaving: true, visit) }
                } else {
                    try self.visit(child, nameStart: nameStart, leaving: false, visit)
                }
                path.count = parentLength
            }
        }
    }

    /// Appends a name to the path, repairing invalid UTF-8 as `String(decoding:as:)` does.
    @inline(__always)
    mutating func appendName(_ name: UnsafeRawBufferPointer) {
        for byte in name where byte >= 0x80 {
            var text = String(decoding: name, as: UTF8.self)
            text.withUTF8 { path.append(UnsafeRawBufferPointer($0)) }
            return
        }
        path.append(name)
    }

    /// Reads block `index` of a directory (`size` bytes) to `data` at `at`.
    mutating func readBlock(_ dir: Inode, index: UInt64, size: Int, at: Int) throws {
        data.reserve(at + size - data.count)
        data.count = max(data.count, at + size)
        try image.readData(of: dir, at: index * UInt64(blockSize), into: UnsafeMutableRawBufferPointer(start: data.base + at, count: size))
    }

    /// Reads and checks every block of a directory, as `readDirectory` does, keeping them in
    /// `data` when the directory is small enough. Returns its block count and whether it is kept.
    mutating func loadDirectory(_ dir: Inode) throws -> (UInt64, Bool) {
        guard dir.type == .directory else {
            throw EROFSError(.notADirectory, "not a directory", image: image.path, nid: dir.nid)
        }
        let blockSize = UInt64(blockSize)
        let blocks = (dir.size + blockSize - 1) / blockSize
        let whole = dir.size <= UInt64(wholeDirectoryLimit)
        let frame = data.count
        data.reserve(256)
        data.count += 256
        var total = dir.dotOmitted ? 1 : 0
        var previousLength = -1
        for index in 0..<blocks {
            let size = Int(min(blockSize, dir.size - index * blockSize))
            let at = frame + 256 + (whole ? Int(index) * Int(blockSize) : 0)
            try readBlock(dir, index: index, size: size, at: at)
            let block = data.bytes(at..<(at + size))
            let count = try image.validateDirectoryBlock(block, blockIndex: index, nid: dir.nid)
            let (headOff, headEnd) = image.direntName(block, entry: 0, count: count)
            let head = UnsafeRawBufferPointer(rebasing: block[headOff..<headEnd])
            if previousLength >= 0 {
                let previous = data.bytes(frame..<(frame + previousLength))
                if compareNames(previous, head) >= 0 {
                    throw EROFSError(.direntUnsorted, "directory block \(index) starts with '\(String(decoding: head, as: UTF8.self))', not after '\(String(decoding: previous, as: UTF8.self))'", image: image.path, nid: dir.nid)
                }
            }
            let (lastOff, lastEnd) = image.direntName(block, entry: count - 1, count: count)
            (data.base + frame).copyMemory(from: data.base + at + lastOff, byteCount: lastEnd - lastOff)
            previousLength = lastEnd - lastOff
            total += count
            if total > Image.maxDirectoryEntries {
                throw EROFSError(.limitExceeded, "directory has more than \(Image.maxDirectoryEntries) entries", image: image.path, nid: dir.nid)
            }
        }
        return (blocks, whole)
    }
}
