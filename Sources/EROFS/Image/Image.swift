import Foundation

/// An EROFS image opened in process, with its extra devices.
///
/// All reads go through `pread` on demand; nothing is loaded whole. An `Image` is immutable
/// after opening and safe to use from several threads.
public final class Image: @unchecked Sendable {
    /// The path of the primary device (the image file).
    public let path: String
    public let superblock: Superblock
    /// Device 0 is the primary; 1… are the extra devices in slot order.
    public let devices: [Device]
    /// Raw compression config records by algorithm (only with COMPR_CFGS).
    public let compressionConfigs: [CompressionAlgorithmID: [UInt8]]
    let primary: FileByteSource
    private let lazyState = LazyImageState()
    /// Inode maps, decoded extents and counters of the compressed-file reader.
    let compressedState = CompressedReaderState()
    /// Recently read 4 KiB pieces of the primary, for inode and other metadata reads.
    let metadataCache = MetadataBlockCache()

    /// Serves metadata reads of the primary device from a small cache of 4 KiB pieces: a tree
    /// walk (ls, extract) then makes one read per piece instead of one per inode. Off by
    /// default, because a cached piece hides a change of the image on disk from a replay.
    /// Set it before sharing the image between threads.
    public var cachesMetadata: Bool {
        get { metadataCache.enabled }
        set { metadataCache.enabled = newValue }
    }
    /// Device-0 byte ranges redirected to an extra device (unified addresses): never cached.
    private let redirectedRanges: [(start: UInt64, end: UInt64)]

    /// Opens an image from a spec (`PATH[,device=BLOB]...`).
    public convenience init(_ spec: ImageSpec) throws {
        try self.init(spec: spec)
    }

    /// Opens the image at `path`, resolving its blobs from its own folder.
    public convenience init(path: String) throws {
        try self.init(spec: ImageSpec(path: path))
    }

    init(spec: ImageSpec) throws {
        let path = spec.path
        self.path = path
        let primary: FileByteSource
        do { primary = try FileByteSource(path: path) } catch let error as EROFSError {
            throw EROFSError(error.kind == .blobMissing ? .io : error.kind, error.detail, image: path)
        }
        self.primary = primary
        let sb: Superblock = try withLocation(image: path) {
            guard primary.size >= Superblock.offset + 128 else {
                throw EROFSError(.truncated, "image is too small for a superblock (\(primary.size) bytes)")
            }
            let want = min(UInt64(65536), primary.size - Superblock.offset)
            let raw = try primary.bytes(at: Superblock.offset, count: Int(want))
            return try Superblock.parse(raw, imageSize: primary.size)
        }
        superblock = sb
        var configs: [CompressionAlgorithmID: [UInt8]] = [:]
        if sb.incompat.contains(.compressionConfigs) {
            var pos = roundUp(Superblock.offset + UInt64(sb.size), 4)
            for alg in sb.algorithms {
                let header = try withLocation(image: path) { try primary.bytes(at: pos, count: 2) }
                let length = Int(header.le16(0))
                guard length <= 4096 else {
                    throw EROFSError(.invalidSuperblock, "compression config for \(alg.name) claims \(length) bytes", image: path)
                }
                configs[alg] = try withLocation(image: path) { try primary.bytes(at: pos + 2, count: length) }
                pos = roundUp(pos + 2 + UInt64(length), 4)
            }
        }
        compressionConfigs = configs
        var slots: [DeviceSlot] = []
        if sb.extraDevices > 0 {
            let tableOffset = UInt64(sb.deviceTableSlotOffset) * 128
            for i in 0..<Int(sb.extraDevices) {
                let raw = try withLocation(image: path) { try primary.bytes(at: tableOffset + UInt64(i) * 128, count: 128) }
                slots.append(DeviceSlot.parse(id: i + 1, bytes: raw, is48Bit: sb.incompat.contains(.address48Bit)))
            }
        }
        let extra = try BlobResolver(imagePath: path, superblock: sb, primary: primary).resolve(slots: slots, spec: spec)
        devices = [Device(id: 0, slot: nil, origin: .primary, source: primary, base: 0, size: primary.size)] + extra
        let blockSize = UInt64(sb.blockSize)
        redirectedRanges = extra.compactMap { candidate in
            guard candidate.origin != .flat, let slot = candidate.slot, slot.unifiedAddress != 0 else { return nil }
            let start = slot.unifiedAddress &* blockSize
            return (start, start &+ slot.blocks &* blockSize)
        }
    }

    /// The root directory's nid.
    public var rootNID: UInt64 { superblock.rootNID }
    /// Block size in bytes.
    public var blockSize: Int { superblock.blockSize }
    /// Whether extra devices are read from the primary (flat, unified-address mode).
    public var isFlat: Bool { devices.dropFirst().contains { $0.origin == .flat } }

    // MARK: Raw device access

    /// Reads bytes of device `id` (0 = primary). Device-0 addresses that fall in an extra
    /// device's unified range are redirected to it, as the kernel does when devices are given.
    func readDevice(_ id: Int, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        let (device, local) = try resolve(device: id, offset: offset, length: UInt64(buffer.count))
        try device.source.read(into: buffer, at: device.base + local)
    }

    /// Finds the device and device-relative offset that serve `length` bytes at `offset` of
    /// device `id`, checking that they lie inside it.
    func resolve(device id: Int, offset: UInt64, length: UInt64) throws -> (Device, UInt64) {
        guard id >= 0, id < devices.count else {
            throw EROFSError(.deviceIdOutOfRange, "device id \(id) out of range (image has \(devices.count - 1) extra device(s))")
        }
        var device = devices[id]
        if let (kind, reason) = device.unavailable { throw EROFSError(kind, reason, image: path) }
        var offset = offset
        if id == 0, devices.count > 1 {
            let blockSize = UInt64(superblock.blockSize)
            for candidate in devices.dropFirst() where candidate.origin != .flat {
                guard let slot = candidate.slot, slot.unifiedAddress != 0 else { continue }
                let start = slot.unifiedAddress &* blockSize
                let end = start &+ slot.blocks &* blockSize
                if offset >= start && offset < end {
                    if let (kind, reason) = candidate.unavailable { throw EROFSError(kind, reason, image: path) }
                    device = candidate
                    offset -= start
                    break
                }
            }
        }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= device.size else {
            throw EROFSError(.blockOutOfRange, "bytes \(offset)..<\(offset &+ length) are past the end of device \(device.id) (\(device.size) bytes, \(device.path))")
        }
        return (device, offset)
    }

    /// Checks that a data mapping lies inside its device, as `resolve` does, except that a
    /// device that is missing or mismatched passes: the mapping is metadata and stays valid,
    /// only reading the bytes fails (metadata-only images).
    func checkMapping(device id: Int, offset: UInt64, length: UInt64) throws {
        do { _ = try resolve(device: id, offset: offset, length: length) } catch let error as EROFSError where error.kind == .blobMissing || error.kind == .blobMismatch {
            return
        }
    }

    /// The devices whose data cannot be read, with why (empty when every device is there).
    public var unavailableDevices: [(device: Device, kind: EROFSError.Kind, reason: String)] {
        devices.compactMap { d in d.unavailable.map { (d, $0.kind, $0.reason) } }
    }

    /// Reads primary-device metadata through the metadata cache where the range is plain
    /// primary bytes, else directly (which reports any error with its usual message).
    func readPrimaryMetadata(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        guard metadataCache.enabled else { return try readDevice(0, at: offset, into: buffer) }
        let ranges = redirectedRanges
        let cached = try metadataCache.read(at: offset, into: buffer, limit: primary.size, cacheable: { start, end in
            !ranges.contains { start < $0.end && $0.start < end }
        }, fill: { start, piece in
            try primary.read(into: piece, at: start)
        })
        if !cached { try readDevice(0, at: offset, into: buffer) }
    }

    /// Byte size of device `id`.
    func deviceSize(_ id: Int) -> UInt64? {
        guard id >= 0, id < devices.count else { return nil }
        return devices[id].size
    }

    /// Reads `count` metadata bytes at `offset` of a metadata space.
    func readMeta(_ space: MetaSpace, at offset: UInt64, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try readMeta(space, at: offset, into: $0) }
        return out
    }

    /// Fills `buffer` with the metadata bytes at `offset` of a metadata space.
    func readMeta(_ space: MetaSpace, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        switch space {
        case .primary:
            try readPrimaryMetadata(at: offset, into: buffer)
        case .metabox:
            let box = try metaboxInode()
            guard offset <= box.size, UInt64(buffer.count) <= box.size - offset else {
                throw EROFSError(.nidOutOfRange, "metadata at \(offset) is past the end of the metabox (\(box.size) bytes)")
            }
            try readData(of: box, at: offset, into: buffer)
        }
    }

    // MARK: Inodes

    /// Loads the inode `nid` (bit 63 set: inside the metabox).
    public func inode(_ nid: UInt64) throws -> Inode {
        try withLocation(image: path, nid: nid) {
            let space: MetaSpace = nid & Inode.metaboxBit != 0 ? .metabox : .primary
            let slot = nid & ~Inode.metaboxBit
            guard slot != 0 || space == .metabox else {
                throw EROFSError(.nidOutOfRange, "nid 0 is never a valid inode")
            }
            let (rel, o1) = slot.multipliedReportingOverflow(by: 32)
            let base: UInt64 = space == .primary ? UInt64(superblock.metaBlockAddress) * UInt64(superblock.blockSize) : 0
            let (location, o2) = base.addingReportingOverflow(rel)
            let limit = space == .primary ? primary.size : (try metaboxInode().size)
            guard !o1, !o2, location < limit, limit - location >= 32 else {
                throw EROFSError(.nidOutOfRange, "nid \(nid) is past the end of the metadata (\(limit) bytes)")
            }
            // The inode's bytes go to a buffer on the stack: no array per inode.
            var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            let inode = try withUnsafeMutableBytes(of: &storage) { buffer -> Inode in
                var filled = 32
                if space == .primary && limit - location >= 64 {
                    try readMeta(space, at: location, into: buffer)
                    filled = 64
                } else {
                    try readMeta(space, at: location, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<32]))
                    if UnsafeRawBufferPointer(buffer).le16(0) & 1 != 0 {
                        guard limit - location >= 64 else {
                            throw EROFSError(.nidOutOfRange, "extended inode \(nid) runs past the end of the metadata")
                        }
                        try readMeta(space, at: location + 32, into: UnsafeMutableRawBufferPointer(rebasing: buffer[32..<64]))
                        filled = 64
                    }
                }
                return try Inode.parse(nid: nid, space: space, location: location,
                                       bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), superblock: superblock)
            }
            if inode.xattrCount > 0 {
                let (end, overflow) = inode.payloadOffset.addingReportingOverflow(0)
                if overflow || end > limit {
                    throw EROFSError(.xattrOutOfBounds, "inline xattr area (\(inode.xattrAreaSize) bytes) runs past the end of the metadata")
                }
            }
            return inode
        }
    }

    /// The root directory inode. A root that is not a directory is an error, as in the
    /// kernel's erofs_fill_super (which refuses to mount such an image).
    public func rootInode() throws -> Inode {
        let root = try inode(rootNID)
        guard root.type == .directory else {
            throw EROFSError(.notADirectory, "the root inode is a \(root.type.rawValue), not a directory", image: path, nid: root.nid)
        }
        return root
    }

    /// The packed inode (fragments, long xattr prefixes), if the image has one.
    public func packedInode() throws -> Inode? {
        guard superblock.packedNID != 0 else { return nil }
        return try lazyState.packed.get { try inode(superblock.packedNID) }
    }

    /// The metabox inode, which holds metadata for nids with bit 63 set.
    func metaboxInode() throws -> Inode {
        guard let nid = superblock.metaboxNID else {
            throw EROFSError(.nidOutOfRange, "nid with bit 63 set but the image has no metabox", image: path)
        }
        return try lazyState.metabox.get {
            let (rel, o1) = nid.multipliedReportingOverflow(by: 32)
            let (location, o2) = (UInt64(superblock.metaBlockAddress) * UInt64(superblock.blockSize)).addingReportingOverflow(rel)
            guard !o1, !o2 else {
                throw EROFSError(.nidOutOfRange, "metabox nid \(nid) is past the end of the metadata (\(primary.size) bytes)", image: path)
            }
            let raw = try readMeta(.primary, at: location, count: 64)
            return try Inode.parse(nid: nid, space: .primary, location: location, bytes: raw, superblock: superblock)
        }
    }

    /// Long xattr name prefixes (INCOMPAT_XATTR_PREFIXES), loaded once.
    func longPrefixes() throws -> [LongXattrPrefix] {
        try lazyState.prefixes.get { try XattrReader(image: self).loadLongPrefixes() }
    }
}

/// Values computed once per image on first use, guarded by a lock.
final class LazyImageState: @unchecked Sendable {
    let packed = Lazy<Inode>()
    let metabox = Lazy<Inode>()
    let prefixes = Lazy<[LongXattrPrefix]>()
}

final class Lazy<T>: @unchecked Sendable {
    private var value: T?
    private let lock = NSLock()
    func get(_ make: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = try make()
        value = made
        return made
    }
}
