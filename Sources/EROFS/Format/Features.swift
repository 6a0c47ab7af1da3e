import Decompression
import Foundation

/// Compatible feature bits: a reader may ignore the ones it does not know.
public struct CompatFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let superblockChecksum = CompatFeatures(rawValue: 0x01)
    public static let mtime = CompatFeatures(rawValue: 0x02)
    public static let xattrFilter = CompatFeatures(rawValue: 0x04)
    public static let sharedXattrsInMetabox = CompatFeatures(rawValue: 0x08)
    public static let plainXattrPrefixes = CompatFeatures(rawValue: 0x10)
    public static let ishareXattrs = CompatFeatures(rawValue: 0x20)

    static let names: [(UInt32, String)] = [
        (0x01, "sb_csum"), (0x02, "mtime"), (0x04, "xattr_filter"),
        (0x08, "shared_ea_in_metabox"), (0x10, "plain_xattr_pfx"), (0x20, "ishare_xattrs"),
    ]

    /// Names of the set bits, unknown bits as hex.
    public var names: [String] { featureNames(rawValue, Self.names) }
}

/// Incompatible feature bits: an image with an unknown one must be refused.
public struct IncompatFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let zeroPadding = IncompatFeatures(rawValue: 0x001)
    public static let compressionConfigs = IncompatFeatures(rawValue: 0x002)
    public static let chunkedFile = IncompatFeatures(rawValue: 0x004)
    public static let deviceTable = IncompatFeatures(rawValue: 0x008)
    public static let ztailpacking = IncompatFeatures(rawValue: 0x010)
    public static let fragments = IncompatFeatures(rawValue: 0x020)
    public static let xattrPrefixes = IncompatFeatures(rawValue: 0x040)
    public static let address48Bit = IncompatFeatures(rawValue: 0x080)
    public static let metabox = IncompatFeatures(rawValue: 0x100)
    /// Every bit this reader understands.
    public static let known = IncompatFeatures(rawValue: 0x1FF)

    static let names: [(UInt32, String)] = [
        (0x001, "0padding"), (0x002, "big_pcluster"), (0x004, "chunked_file"),
        (0x008, "device_table"), (0x010, "ztailpacking"), (0x020, "fragments"),
        (0x040, "xattr_prefixes"), (0x080, "48bit"), (0x100, "metabox"),
    ]

    public var names: [String] { featureNames(rawValue, Self.names) }
}

func featureNames(_ raw: UInt32, _ table: [(UInt32, String)]) -> [String] {
    var out: [String] = []
    var rest = raw
    for (bit, name) in table where raw & bit != 0 {
        out.append(name)
        rest &= ~bit
    }
    var bit: UInt32 = 1
    while rest != 0 {
        if rest & bit != 0 {
            out.append(String(format: "unknown(0x%x)", bit))
            rest &= ~bit
        }
        bit <<= 1
    }
    return out
}

/// Compression algorithm numbers as stored on disk: the Decompression module's enum.
public typealias CompressionAlgorithmID = CompressionAlgorithm
