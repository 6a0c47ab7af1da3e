import Decompression

/// One compression algorithm an image uses, with its decoded config record (`info`).
public struct CompressionAlgorithmInfo: Sendable, Equatable {
    public var algorithm: CompressionAlgorithm
    public var name: String { algorithm.name }
    /// Config fields in on-disk order, e.g. `("max_distance", "65535")`; an unreadable record
    /// gives one `("error", …)` field.
    public var settings: [Setting]

    public struct Setting: Sendable, Equatable {
        public var key: String
        public var value: String
    }
}

extension Image {
    /// The algorithms the superblock lists, with their configs. Images without config records
    /// (LZ4 only, erofs-utils before big pclusters) list LZ4 with the superblock's max distance
    /// when zero padding marks them as compressed.
    public var compressionAlgorithms: [CompressionAlgorithmInfo] {
        let sb = superblock
        guard sb.incompat.contains(.compressionConfigs) else {
            guard hasCompressedData else { return [] }
            let distance = sb.availableAlgorithms == 0 ? 65536 : Int(sb.availableAlgorithms)
            return [CompressionAlgorithmInfo(algorithm: .lz4, settings: [.init(key: "max_distance", value: "\(distance)"), .init(key: "max_pcluster_blocks", value: "1")])]
        }
        return sb.algorithms.map { id in
            do {
                guard let config = try algorithmConfig(id) else {
                    return CompressionAlgorithmInfo(algorithm: id, settings: [.init(key: "error", value: "no config record")])
                }
                let settings: [CompressionAlgorithmInfo.Setting]
                switch config {
                case .lz4(let c): settings = [.init(key: "max_distance", value: "\(c.maxDistance)"), .init(key: "max_pcluster_blocks", value: "\(c.maxPclusterBlocks)")]
                case .lzma(let c): settings = [.init(key: "dict_size", value: "\(c.dictSize)")]
                case .deflate(let c): settings = [.init(key: "windowbits", value: "\(c.windowBits)")]
                case .zstd(let c): settings = [.init(key: "windowlog", value: "\(c.windowLog)")]
                }
                return CompressionAlgorithmInfo(algorithm: id, settings: settings)
            } catch {
                return CompressionAlgorithmInfo(algorithm: id, settings: [.init(key: "error", value: "\(error)")])
            }
        }
    }
}

extension Image {
    /// The parsed config record of `algorithm` (nil without one), checked as the kernel does;
    /// throws the `DecompressionError` of a bad record.
    func algorithmConfig(_ algorithm: CompressionAlgorithm) throws -> AlgorithmConfig? {
        guard let record = compressionConfigs[algorithm] else { return nil }
        return try AlgorithmConfig.parse(algorithm: algorithm, bytes: record, blockSizeBits: Int(superblock.blockSizeBits))
    }

    /// Whether the image can hold compressed files (zero padding or compression configs set).
    public var hasCompressedData: Bool {
        superblock.incompat.contains(.zeroPadding) || superblock.incompat.contains(.compressionConfigs)
    }
}
