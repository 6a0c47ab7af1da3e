import Decompression
import Foundation

/// Counts of the decompression work an image has done, for benchmarks and tests.
public struct DecompressionStatistics: Sendable, Equatable {
    /// Pclusters run through a decompressor (or un-rotated, for interlaced raw pclusters).
    public var pclustersDecoded = 0
    /// Compressed bytes read for them.
    public var bytesIn: UInt64 = 0
    /// Decoded bytes produced.
    public var bytesOut: UInt64 = 0

    public init() {}
}

extension Image {
    /// Work done by this image's decompressors so far.
    public var decompressionStatistics: DecompressionStatistics { compressedState.statistics() }

    /// Reads metadata bytes of a compressed inode's map (header, indexes, inline pcluster);
    /// a read past the end of the metadata is a corrupt inode.
    func readIndexBytes(_ space: MetaSpace, at offset: UInt64, count: Int) throws -> [UInt8] {
        do { return try readMeta(space, at: offset, count: count) } catch let e as EROFSError where [.truncated, .blockOutOfRange, .nidOutOfRange].contains(e.kind) {
            throw EROFSError(.inodeInvalid, "compression map bytes \(offset)..<\(offset + UInt64(count)) are past the end of the metadata (\(e.detail))")
        }
    }

    /// The map of a compressed inode, built once and kept in a small cache.
    func compressedMap(of inode: Inode) throws -> CompressedInodeMap {
        try compressedState.map(for: inode) { try CompressedInodeMap(image: self, inode: inode) }
    }

    func readCompressed(_ inode: Inode, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        try withLocation(image: path, nid: inode.nid) {
            let map = try compressedMap(of: inode)
            var position = offset
            var done = 0
            while done < buffer.count {
                let extent = try map.extent(self, at: position)
                guard extent.start <= position, extent.end > position else {
                    throw EROFSError(.inodeInvalid, "mapping makes no progress at offset \(position)")
                }
                let skip = Int(position - extent.start)
                let count = Int(min(UInt64(buffer.count - done), extent.end - position))
                let target = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<(done + count)])
                try copyExtent(inode, extent, skip: skip, into: target)
                done += count
                position += UInt64(count)
            }
        }
    }

    /// Fills `target` with the extent's decoded bytes from `skip` on.
    private func copyExtent(_ inode: Inode, _ extent: ZExtent, skip: Int, into target: UnsafeMutableRawBufferPointer) throws {
        switch (extent.storage, extent.format) {
        case (.hole, _):
            target.initializeMemory(as: UInt8.self, repeating: 0)
        case (.fragment(let base), _):
            guard inode.nid != superblock.packedNID, let packed = try packedInode() else {
                throw EROFSError(.inodeInvalid, inode.nid == superblock.packedNID ? "the packed inode refers to a fragment of itself" : "fragment, but the image has no packed inode")
            }
            let (from, o1) = base.addingReportingOverflow(UInt64(skip))
            let (to, o2) = from.addingReportingOverflow(UInt64(target.count))
            guard !o1, !o2, to <= packed.size else {
                throw EROFSError(.inodeInvalid, "fragment bytes \(from)..<\(to) are past the end of the packed inode (\(packed.size) bytes)")
            }
            try readData(of: packed, at: from, into: target)
        case (.pcluster(let pa, let plen), .shifted):
            guard extent.end - extent.start <= plen else {
                throw EROFSError(.inodeInvalid, "raw extent at \(extent.start) of \(extent.end - extent.start) bytes is longer than its \(plen)-byte pcluster")
            }
            try readDevice(0, at: pa + UInt64(skip), into: target)
        case (.inline(let at, let length), .shifted):
            guard extent.end - extent.start <= length else {
                throw EROFSError(.inodeInvalid, "raw inline extent at \(extent.start) is longer than its \(length) bytes")
            }
            let bytes = try readIndexBytes(inode.space, at: at + UInt64(skip), count: target.count)
            bytes.withUnsafeBytes { target.copyMemory(from: $0) }
        default:
            let length = extent.end - extent.start
            if skip == 0, UInt64(target.count) == length, case .compressed = extent.format,
               !compressedState.hasExtent(DecodedExtentKey(nid: inode.nid, start: extent.start, end: extent.end)) {
                // The read wants the whole extent: decode straight into it (extract, cat, large reads).
                let bytesIn = try decode(inode, extent, into: target)
                compressedState.count(bytesIn: bytesIn, bytesOut: target.count)
                return
            }
            let decoded = try decodedExtent(inode, extent)
            guard skip >= 0, skip + target.count <= decoded.count else {
                throw EROFSError(.inodeInvalid, "extent at \(extent.start) decoded to \(decoded.count) bytes, but bytes \(skip)..<\(skip + target.count) of it are wanted")
            }
            decoded.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[skip..<(skip + target.count)])) }
        }
    }

    /// The whole decoded extent (compressed or interlaced), from the cache when it was decoded recently.
    private func decodedExtent(_ inode: Inode, _ extent: ZExtent) throws -> [UInt8] {
        let key = DecodedExtentKey(nid: inode.nid, start: extent.start, end: extent.end)
        if let cached = compressedState.cachedExtent(key) { return cached }
        let length = extent.end - extent.start
        guard length <= CompressedInodeMap.maxExtentLength else {
            throw EROFSError(.limitExceeded, "extent at \(extent.start) is \(length) bytes, more than the \(CompressedInodeMap.maxExtentLength)-byte limit")
        }
        var bytesIn = 0
        let out = try [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
            bytesIn = try decode(inode, extent, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = Int(length)
        }
        compressedState.record(key, out, bytesIn: bytesIn)
        return out
    }

    /// Decodes a whole extent (compressed or interlaced) into `out`, which is exactly its length;
    /// returns the number of stored bytes read for it.
    private func decode(_ inode: Inode, _ extent: ZExtent, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        let length = extent.end - extent.start
        guard length <= CompressedInodeMap.maxExtentLength else {
            throw EROFSError(.limitExceeded, "extent at \(extent.start) is \(length) bytes, more than the \(CompressedInodeMap.maxExtentLength)-byte limit")
        }
        switch extent.storage {
        case .pcluster(let pa, let plen):
            guard plen <= CompressedInodeMap.maxPclusterLength else {
                throw EROFSError(.limitExceeded, "pcluster of \(plen) bytes at \(pa) is larger than the format allows")
            }
            let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(plen), alignment: 16)
            defer { raw.deallocate() }
            try readDevice(0, at: pa, into: raw)
            try decode(UnsafeRawBufferPointer(raw), extent, where: "pcluster at byte \(pa), \(plen) bytes", into: out)
            return Int(plen)
        case .inline(let at, let plen):
            let raw = try readIndexBytes(inode.space, at: at, count: Int(plen))
            try raw.withUnsafeBytes { try decode($0, extent, where: "inline pcluster at \(at), \(plen) bytes", into: out) }
            return raw.count
        case .fragment, .hole:
            throw EROFSError(.inodeInvalid, "nothing to decode at \(extent.start)")
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer, _ extent: ZExtent, where where_: @autoclosure () -> String, into out: UnsafeMutableRawBufferPointer) throws {
        switch extent.format {
        case .interlaced:
            let blockSize = blockSize
            let rotation = Int(extent.start % UInt64(blockSize))
            guard out.count <= raw.count, raw.count >= min(blockSize, rotation + out.count) else {
                throw EROFSError(.inodeInvalid, "interlaced extent at \(extent.start) of \(out.count) bytes does not fit its \(where_())")
            }
            for k in 0..<out.count {
                let at = (rotation + k) % blockSize
                guard at < raw.count else { throw EROFSError(.inodeInvalid, "interlaced extent at \(extent.start) reads past its \(where_())") }
                out[k] = raw[at]
            }
        case .compressed(let algorithm):
            let decompressor = try decompressor(for: algorithm)
            do {
                _ = try decompressor.decompress(raw, into: out, partial: extent.partialReference)
            } catch let error as DecompressionError {
                let kind: EROFSError.Kind
                switch error {
                case .inputTooLarge, .outputTooLarge: kind = .limitExceeded
                case .invalidConfig: kind = .invalidSuperblock
                default: kind = .compressionCorrupt
                }
                throw EROFSError(kind, "\(error) in the extent at file offset \(extent.start) (\(where_()))")
            }
        case .shifted:
            throw EROFSError(.inodeInvalid, "raw extent at \(extent.start) has no decoding")
        }
    }

    /// The decompressor for `algorithm`, set up from the image's config record.
    private func decompressor(for algorithm: CompressionAlgorithm) throws -> Decompressor {
        try compressedState.decompressor(for: algorithm) {
            let config: AlgorithmConfig?
            do { config = try algorithmConfig(algorithm) } catch {
                throw EROFSError(.invalidSuperblock, "compression config: \(error)")
            }
            return makeDecompressor(algorithm, config: config, zeroPadding: superblock.incompat.contains(.zeroPadding),
                                    paddingScanLimit: max(blockSize, DecompressionLimits.defaultPaddingScanLimit))
        }
    }
}

/// A decoded extent in the cache: the whole extent, since a corrupt index can give two
/// different extents the same start.
struct DecodedExtentKey: Hashable {
    var nid: UInt64
    var start: UInt64
    var end: UInt64
}

/// Per-image state of the compressed reader: inode maps, recently decoded extents, decompressors
/// and counters, behind one lock. Memory is bounded: at most `mapLimit` maps and `extentBytesLimit` decoded bytes.
final class CompressedReaderState: @unchecked Sendable {
    static let mapLimit = 4096
    static let extentBytesLimit = 32 << 20
    static let extentCountLimit = 16

    private let lock = NSLock()
    private var maps: [UInt64: CompressedInodeMap] = [:]
    private var extents: [(key: DecodedExtentKey, bytes: [UInt8])] = []
    private var extentBytes = 0
    private var decompressors: [CompressionAlgorithm: Decompressor] = [:]
    private var stats = DecompressionStatistics()

    func map(for inode: Inode, make: () throws -> CompressedInodeMap) throws -> CompressedInodeMap {
        lock.lock()
        if let map = maps[inode.nid] { lock.unlock(); return map }
        lock.unlock()
        let map = try make()
        lock.lock()
        if maps.count >= CompressedReaderState.mapLimit { maps.removeAll(keepingCapacity: true) }
        maps[inode.nid] = map
        lock.unlock()
        return map
    }

    func cachedExtent(_ key: DecodedExtentKey) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let i = extents.firstIndex(where: { $0.key == key }) else { return nil }
        let entry = extents.remove(at: i)
        extents.append(entry)
        return entry.bytes
    }

    func hasExtent(_ key: DecodedExtentKey) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return extents.contains { $0.key == key }
    }

    /// Counts an extent decoded straight into a caller's buffer (not kept).
    func count(bytesIn: Int, bytesOut: Int) {
        lock.lock()
        defer { lock.unlock() }
        stats.pclustersDecoded += 1
        stats.bytesIn += UInt64(bytesIn)
        stats.bytesOut += UInt64(bytesOut)
    }

    func record(_ key: DecodedExtentKey, _ bytes: [UInt8], bytesIn: Int) {
        lock.lock()
        defer { lock.unlock() }
        stats.pclustersDecoded += 1
        stats.bytesIn += UInt64(bytesIn)
        stats.bytesOut += UInt64(bytes.count)
        guard bytes.count <= CompressedReaderState.extentBytesLimit / 2 else { return }
        extents.append((key, bytes))
        extentBytes += bytes.count
        while extentBytes > CompressedReaderState.extentBytesLimit || extents.count > CompressedReaderState.extentCountLimit {
            extentBytes -= extents.removeFirst().bytes.count
        }
    }

    func decompressor(for algorithm: CompressionAlgorithm, make: () throws -> Decompressor) throws -> Decompressor {
        lock.lock()
        defer { lock.unlock() }
        if let d = decompressors[algorithm] { return d }
        let d = try make()
        decompressors[algorithm] = d
        return d
    }

    func statistics() -> DecompressionStatistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }
}
