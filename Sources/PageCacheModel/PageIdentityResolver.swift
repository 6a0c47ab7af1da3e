/// A container registered with a simulator: a dense index, equal across the simulators of a
/// ``MultiPolicySimulator``.
public struct ContainerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The dense index of the container.
    public let rawValue: UInt16

    /// Wraps a raw index.
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static func < (lhs: ContainerID, rhs: ContainerID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "container#\(rawValue)" }
}

/// Maps a page of a file, as seen by a container, to the cached page that holds it under one
/// sharing policy. This is the only thing that differs between policies.
///
/// The simulator calls ``pageKey(container:file:page:)`` for every page it touches, so it must be
/// cheap: precompute per-file tables (space ID, base index) and index them by `file.rawValue`.
/// The spaces it returns must come from the ``AddressSpaceRegistry`` the simulator was given.
public protocol PageIdentityResolver: AnyObject {
    /// The cached page holding page `page` (file offset / page size) of `file` in `container`.
    func pageKey(container: ContainerID, file: FileID, page: UInt64) -> PageKey

    /// The file pages a filesystem's `->readahead`/`->read_folio` really brings in when asked
    /// for `pages` (already clipped at EOF): a superset such as whole compressed extents
    /// (EROFS expands to the extent holding the last requested byte). The default is `pages`.
    func readaheadRange(container: ContainerID, file: FileID, pages: Range<UInt64>) -> Range<UInt64>
}

extension PageIdentityResolver {
    /// No expansion: the pages asked for.
    public func readaheadRange(container: ContainerID, file: FileID, pages: Range<UInt64>) -> Range<UInt64> { pages }
}
