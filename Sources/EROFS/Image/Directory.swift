import Foundation

/// One directory entry.
public struct DirectoryEntry: Sendable, Equatable {
    /// Raw name bytes (EROFS names are bytes, usually UTF-8).
    public var nameBytes: [UInt8]
    public var nid: UInt64
    /// The dirent's file type (0 unknown, 1 reg, 2 dir, 3 chr, 4 blk, 5 fifo, 6 sock, 7 symlink).
    public var fileType: UInt8

    /// The name as text (invalid UTF-8 repaired).
    public var name: String { String(decoding: nameBytes, as: UTF8.self) }
    /// "." or "..".
    public var isDotOrDotDot: Bool { nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] }
}

/// Lexicographic byte order of raw names.
@inline(__always) func compareNames(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return c < 0 ? -1 : 1 }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Lexicographic byte order as EROFS sorts names.
@inline(__always) func compareNames(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    a.withUnsafeBytes { a in b.withUnsafeBytes { b in compareNames(a, b) } }
}

extension Image {
    /// Maximum entries accepted in one directory (a bound against corrupted sizes).
    public static let maxDirectoryEntries = 10_000_000

    /// Reads and validates one directory block; returns its entries.
    func directoryBlock(_ dir: Inode, index: UInt64) throws -> [DirectoryEntry] {
        let blockSize = UInt64(superblock.blockSize)
        let start = index * blockSize
        let maxsize = Int(min(blockSize, dir.size - start))
        let block = try read(dir, at: start, count: maxsize)
        return try parseDirectoryBlock(block, blockIndex: index, nid: dir.nid)
    }

    func parseDirectoryBlock(_ block: [UInt8], blockIndex: UInt64, nid: UInt64) throws -> [DirectoryEntry] {
        try block.withUnsafeBytes { raw in
            let count = try validateDirectoryBlock(raw, blockIndex: blockIndex, nid: nid)
            var entries: [DirectoryEntry] = []
            entries.reserveCapacity(count)
            for i in 0..<count {
                let (nameOff, nameEnd) = direntName(raw, entry: i, count: count)
                entries.append(DirectoryEntry(nameBytes: Array(raw[nameOff..<nameEnd]), nid: raw.le64(i * 12), fileType: raw[i * 12 + 10]))
            }
            return entries
        }
    }

    /// The name of entry `i` of a directory block holding `count` entries, as offsets into
    /// the block: the next entry's name offset ends it, or (for the last) a NUL or the block's end.
    /// The caller checks the offsets (`validateDirectoryBlock`).
    @inline(__always)
    func direntName(_ block: UnsafeRawBufferPointer, entry i: Int, count: Int) -> (Int, Int) {
        let base = i * 12
        let nameOff = Int(block.le16(base + 8))
        if i + 1 < count { return (nameOff, Int(block.le16(base + 20))) }
        var end = nameOff
        while end < block.count && block[end] != 0 { end += 1 }
        return (nameOff, end)
    }

    /// Checks one directory block as the kernel would read it: dirents and names inside the
    /// block, names of 1–255 bytes without '/', in strictly increasing order. Returns the number of entries.
    func validateDirectoryBlock(_ block: UnsafeRawBufferPointer, blockIndex: UInt64, nid: UInt64) throws -> Int {
        let maxsize = block.count
        guard maxsize >= 12 else {
            throw EROFSError(.direntNameOffset, "directory block \(blockIndex) is only \(maxsize) bytes", image: path, nid: nid)
        }
        let first = Int(block.le16(8))
        guard first >= 12, first < maxsize else {
            throw EROFSError(.direntNameOffset, "directory block \(blockIndex): first name offset \(first) out of bounds (block of \(maxsize) bytes)", image: path, nid: nid)
        }
        let count = first / 12
        for i in 0..<count {
            let (nameOff, nameEnd) = direntName(block, entry: i, count: count)
            guard nameOff >= count * 12, nameOff < nameEnd, nameEnd <= maxsize, nameEnd - nameOff <= 255 else {
                throw EROFSError(.direntNameOffset, "directory block \(blockIndex), entry \(i): name offsets \(nameOff)..<\(nameEnd) out of bounds", image: path, nid: nid)
            }
            let name = UnsafeRawBufferPointer(rebasing: block[nameOff..<nameEnd])
            // mkfs never writes '/' in a name; one would let `extract` write outside its destination.
            guard !name.contains(0x2F) else {
                throw EROFSError(.direntNameOffset, "directory block \(blockIndex), entry \(i): name '\(String(decoding: name, as: UTF8.self))' contains '/'", image: path, nid: nid)
            }
        }
        if count > 1 {
            var (previousOff, previousEnd) = direntName(block, entry: 0, count: count)
            for i in 1..<count {
                let (nameOff, nameEnd) = direntName(block, entry: i, count: count)
                let previous = UnsafeRawBufferPointer(rebasing: block[previousOff..<previousEnd])
                let name = UnsafeRawBufferPointer(rebasing: block[nameOff..<nameEnd])
                if compareNames(previous, name) >= 0 {
                    throw EROFSError(.direntUnsorted, "directory block \(blockIndex): entries '\(String(decoding: previous, as: UTF8.self))' and '\(String(decoding: name, as: UTF8.self))' are not in sorted order", image: path, nid: nid)
                }
                (previousOff, previousEnd) = (nameOff, nameEnd)
            }
        }
        return count
    }

    /// All entries of a directory, in on-disk (sorted) order, including "." and "..";
    /// "." is synthesized for directories stored without it.
    public func readDirectory(_ dir: Inode) throws -> [DirectoryEntry] {
        guard dir.type == .directory else {
            throw EROFSError(.notADirectory, "not a directory", image: path, nid: dir.nid)
        }
        let blockSize = UInt64(superblock.blockSize)
        let blocks = (dir.size + blockSize - 1) / blockSize
        var all: [DirectoryEntry] = []
        if dir.dotOmitted { all.append(DirectoryEntry(nameBytes: [0x2E], nid: dir.nid, fileType: 2)) }
        var previous: [UInt8]?
        for index in 0..<blocks {
            let entries = try directoryBlock(dir, index: index)
            if let previous, let head = entries.first, compareNames(previous[...], head.nameBytes[...]) >= 0 {
                throw EROFSError(.direntUnsorted, "directory block \(index) starts with '\(head.name)', not after '\(String(decoding: previous, as: UTF8.self))'", image: path, nid: dir.nid)
            }
            previous = entries.last?.nameBytes
            all += entries
            if all.count > Self.maxDirectoryEntries {
                throw EROFSError(.limitExceeded, "directory has more than \(Self.maxDirectoryEntries) entries", image: path, nid: dir.nid)
            }
        }
        if dir.dotOmitted { all.sort { compareNames($0.nameBytes[...], $1.nameBytes[...]) < 0 } }
        return all
    }

    /// Looks up one name in a directory by binary search over blocks and then entries, as the kernel does.
    public func lookup(_ name: [UInt8], in dir: Inode) throws -> DirectoryEntry? {
        guard dir.type == .directory else {
            throw EROFSError(.notADirectory, "not a directory", image: path, nid: dir.nid)
        }
        if dir.dotOmitted && name == [0x2E] { return DirectoryEntry(nameBytes: name, nid: dir.nid, fileType: 2) }
        let blockSize = UInt64(superblock.blockSize)
        let blocks = (dir.size + blockSize - 1) / blockSize
        guard blocks > 0 else { return nil }
        var lo: UInt64 = 0, hi = blocks - 1
        var candidate: [DirectoryEntry]? = nil
        // Find the last block whose first name is <= name.
        while lo <= hi {
            let mid = lo + (hi - lo) / 2
            let entries = try directoryBlock(dir, index: mid)
            let c = compareNames(entries[0].nameBytes[...], name[...])
            if c == 0 { return entries[0] }
            if c < 0 {
                candidate = entries
                lo = mid + 1
            } else {
                if mid == 0 { break }
                hi = mid - 1
            }
        }
        guard let entries = candidate else { return nil }
        var l = 0, h = entries.count - 1
        while l <= h {
            let m = (l + h) / 2
            let c = compareNames(entries[m].nameBytes[...], name[...])
            if c == 0 { return entries[m] }
            if c < 0 { l = m + 1 } else { h = m - 1 }
        }
        return nil
    }

    /// Looks up a name given as text.
    public func lookup(_ name: String, in dir: Inode) throws -> DirectoryEntry? {
        try lookup(Array(name.utf8), in: dir)
    }
}
