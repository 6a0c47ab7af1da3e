/// Everything that can go wrong while opening or reading an EROFS image.
///
/// Each case names what failed (the image, and the nid or path when known) so that a
/// message can be shown to the user as is.
public struct EROFSError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure, stable for tests and JSON.
    public enum Kind: String, Sendable, CaseIterable {
        case io, truncated, badMagic, badChecksum, unsupportedFeature, invalidSuperblock
        case nidOutOfRange, inodeInvalid, direntNameOffset, direntUnsorted, directoryCycle
        case blockOutOfRange, deviceIdOutOfRange, xattrOutOfBounds, symlinkTooLong
        case blobMissing, blobMismatch, notFound, notADirectory, notASymlink, symlinkLoop
        case compressionCorrupt, unsupportedLayout, limitExceeded, invalidArgument
    }

    public var kind: Kind
    /// Human readable detail, without the location prefix.
    public var detail: String
    /// The image file the failure belongs to.
    public var image: String?
    /// The inode number involved, if any.
    public var nid: UInt64?
    /// The path inside the image, if known.
    public var path: String?

    public init(_ kind: Kind, _ detail: String, image: String? = nil, nid: UInt64? = nil, path: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.image = image
        self.nid = nid
        self.path = path
    }

    public var description: String {
        var location: [String] = []
        if let image { location.append(image) }
        if let path { location.append(path) }
        if let nid { location.append("nid \(nid)") }
        let prefix = location.isEmpty ? "" : location.joined(separator: ": ") + ": "
        return "\(prefix)\(detail) [\(kind.rawValue)]"
    }

    /// Returns a copy with missing location fields filled in.
    func located(image: String? = nil, nid: UInt64? = nil, path: String? = nil) -> EROFSError {
        var copy = self
        if copy.image == nil { copy.image = image }
        if copy.nid == nil { copy.nid = nid }
        if copy.path == nil { copy.path = path }
        return copy
    }
}

/// Runs `body`, adding location context to any `EROFSError` it throws.
@inline(__always)
func withLocation<T>(image: String? = nil, nid: UInt64? = nil, path: String? = nil, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as EROFSError {
        throw error.located(image: image, nid: nid, path: path)
    }
}
