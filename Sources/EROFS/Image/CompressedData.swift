/// A compressed extent: logical range → physical pcluster. Filled in by the compressed-file mapper.
public struct CompressedExtent: Sendable, Hashable {
    public var device: Int
    public var physicalOffset: UInt64
    public var physicalLength: UInt64
    public var algorithm: String
    public var kind: String
    public init(device: Int, physicalOffset: UInt64, physicalLength: UInt64, algorithm: String, kind: String) {
        self.device = device
        self.physicalOffset = physicalOffset
        self.physicalLength = physicalLength
        self.algorithm = algorithm
        self.kind = kind
    }
}

extension Image {
    func compressedExtent(of inode: Inode, at offset: UInt64) throws -> DataExtent {
        throw EROFSError(.unsupportedLayout, "compressed files (\(inode.layout)) are not supported yet", image: path, nid: inode.nid)
    }

    func readCompressed(_ inode: Inode, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        throw EROFSError(.unsupportedLayout, "compressed files (\(inode.layout)) are not supported yet", image: path, nid: inode.nid)
    }
}
