/// Interns ``AddressSpaceDescriptor``s into dense ``AddressSpaceID``s.
///
/// One registry is shared by the resolvers of a session and the simulators they feed; equal
/// descriptors always get the same ID. Interning hashes the descriptor, so resolvers should
/// intern once per file (or blob) and cache the ID, not once per page.
public final class AddressSpaceRegistry {
    private var ids: [AddressSpaceDescriptor: AddressSpaceID] = [:]
    /// All interned descriptors, indexed by `AddressSpaceID.rawValue`.
    public private(set) var descriptors: [AddressSpaceDescriptor] = []

    /// Creates an empty registry.
    public init() {}

    /// The number of interned spaces.
    public var count: Int { descriptors.count }

    /// Returns the ID of `descriptor`, interning it on first use.
    public func intern(_ descriptor: AddressSpaceDescriptor) -> AddressSpaceID {
        if let id = ids[descriptor] { return id }
        let id = AddressSpaceID(UInt32(descriptors.count))
        descriptors.append(descriptor)
        ids[descriptor] = id
        return id
    }

    /// Returns a fresh space that is equal to no other (for anonymous per-file spaces).
    public func makeUnique(_ descriptor: AddressSpaceDescriptor) -> AddressSpaceID {
        let id = AddressSpaceID(UInt32(descriptors.count))
        descriptors.append(descriptor)
        return id
    }

    /// The ID of an already interned descriptor, or nil.
    public func lookup(_ descriptor: AddressSpaceDescriptor) -> AddressSpaceID? { ids[descriptor] }

    /// The descriptor of `id`.
    public subscript(id: AddressSpaceID) -> AddressSpaceDescriptor { descriptors[Int(id.rawValue)] }
}
