extension Image {
    /// Fills `buffer` with the file's bytes starting at `offset`. Reads past the end of the
    /// file are an error; use `read(_:at:count:)` for clipped reads.
    public func readData(of inode: Inode, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        let (end, overflow) = offset.addingReportingOverflow(UInt64(buffer.count))
        guard !overflow, end <= inode.size else {
            throw EROFSError(.invalidArgument, "read of \(buffer.count) bytes at \(offset) is past the end of the file (\(inode.size) bytes)", image: path, nid: inode.nid)
        }
        if inode.layout.isCompressed {
            try readCompressed(inode, at: offset, into: buffer)
            return
        }
        var position = offset
        var done = 0
        while done < buffer.count {
            let extent = try extent(of: inode, at: position)
            let skip = position - extent.logicalOffset
            let count = Int(min(UInt64(buffer.count - done), extent.length - skip))
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<(done + count)])
            try withLocation(image: path, nid: inode.nid) {
                switch extent.location {
                case .hole:
                    target.initializeMemory(as: UInt8.self, repeating: 0)
                case .device(let id, let pa):
                    try readDevice(id, at: pa + skip, into: target)
                case .inline(let at):
                    let bytes = try readMeta(inode.space, at: at + skip, count: count)
                    bytes.withUnsafeBytes { target.copyMemory(from: $0) }
                case .compressed:
                    throw EROFSError(.unsupportedLayout, "compressed extent in an uncompressed file")
                }
            }
            done += count
            position += UInt64(count)
        }
    }

    /// Returns up to `count` bytes at `offset`, clipped at the end of the file.
    public func read(_ inode: Inode, at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset < inode.size, count > 0 else { return [] }
        let n = Int(min(UInt64(count), inode.size - offset))
        var out = [UInt8](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { try readData(of: inode, at: offset, into: $0) }
        return out
    }

    /// The whole content of a file, refusing files larger than `limit` bytes.
    public func contents(of inode: Inode, limit: UInt64 = 1 << 30) throws -> [UInt8] {
        guard inode.size <= limit else {
            throw EROFSError(.limitExceeded, "file is \(inode.size) bytes, more than the \(limit)-byte limit for a whole read", image: path, nid: inode.nid)
        }
        return try read(inode, at: 0, count: Int(inode.size))
    }
}
