/// A device of an opened image: the primary (id 0) or an extra device, with where its bytes come from.
public struct Device: Sendable {
    /// How the device's bytes were found.
    public enum Origin: Sendable, Equatable {
        /// The image file itself.
        case primary
        /// Given explicitly with `device=`.
        case explicit(path: String)
        /// Found in a blob folder by its tag.
        case resolvedByTag(path: String)
        /// Not given: read from the primary at the slot's unified address (flat mode).
        case flat
        /// Not found; reads of it fail with the reason (only when opened leniently).
        case missing(reason: String)
        /// Found at `path` but its size or format does not match the slot; reads of it fail
        /// with the reason (only when opened leniently).
        case mismatched(path: String, reason: String)
    }

    public var id: Int
    /// The device-table slot (nil for the primary).
    public var slot: DeviceSlot?
    public var origin: Origin
    /// Byte source; for flat devices this is the primary's.
    let source: FileByteSource
    /// Byte offset of this device's block 0 within `source`.
    let base: UInt64
    /// Readable size of the device in bytes.
    public let size: UInt64

    /// Path the bytes are read from.
    public var path: String { source.path }

    /// Why the device's data cannot be read (nil when it can): the error kind and the reason.
    public var unavailable: (kind: EROFSError.Kind, reason: String)? {
        switch origin {
        case .missing(let reason): return (.blobMissing, reason)
        case .mismatched(_, let reason): return (.blobMismatch, reason)
        default: return nil
        }
    }
}
