/// A small interned integer naming one address space (one kernel `struct address_space`).
///
/// IDs are handed out densely from 0 by an ``AddressSpaceRegistry``; the simulator keys its
/// per-space tables by them, so they must come from the registry the simulator was built with.
public struct AddressSpaceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The dense index of the space inside its registry.
    public let rawValue: UInt32

    /// Wraps a raw registry index.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static func < (lhs: AddressSpaceID, rhs: AddressSpaceID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "space#\(rawValue)" }
}

/// The identity of one cached page: an address space and a page index inside it.
///
/// Two accesses hit the same cached page iff their resolvers return equal keys. The index
/// must be below 2^32 (16 TiB of 4 KiB pages per space).
public struct PageKey: Hashable, Sendable, CustomStringConvertible {
    /// The address space holding the page.
    public var space: AddressSpaceID
    /// The page index (byte offset / page size) inside the space.
    public var index: UInt64

    /// Creates a key for page `index` of `space`.
    public init(space: AddressSpaceID, index: UInt64) {
        self.space = space
        self.index = index
    }

    public var description: String { "\(space):\(index)" }
}
