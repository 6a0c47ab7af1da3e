import XCTest
@testable import PageCacheModel

/// A resolver driven by a table: each file maps linearly into a space from a base page,
/// optionally one space per container (no sharing across containers).
final class TableResolver: PageIdentityResolver {
    var placement: [FileID: (space: AddressSpaceID, base: UInt64)] = [:]
    var perContainer: [ContainerID: [FileID: (space: AddressSpaceID, base: UInt64)]] = [:]

    func pageKey(container: ContainerID, file: FileID, page: UInt64) -> PageKey {
        let p = perContainer[container]?[file] ?? placement[file]!
        return PageKey(space: p.space, index: p.base + page)
    }
}

/// A fixture: registries, one file per entry, a per-file ("none") resolver.
struct Fixture {
    let files = FileRegistry()
    let spaces = AddressSpaceRegistry()
    let resolver = TableResolver()

    /// Registers a file with its own inode space.
    func addFile(pages: UInt64, kind: FileKind = .regular, size: UInt64? = nil) -> FileID {
        let id = files.register(size: size ?? pages * 4096, kind: kind)
        let space = spaces.intern(AddressSpaceDescriptor(kind: kind == .directory ? .directory : .inode, nid: UInt64(id.rawValue)))
        resolver.placement[id] = (space, 0)
        return id
    }

    func simulator(_ configuration: CacheConfiguration = CacheConfiguration()) -> CacheSimulator {
        CacheSimulator(policy: "test", configuration: configuration, files: files, spaces: spaces, resolver: resolver)
    }

    func key(_ file: FileID, _ page: UInt64) -> PageKey {
        let p = resolver.placement[file]!
        return PageKey(space: p.space, index: p.base + page)
    }
}

extension CacheSimulator {
    /// The resident file pages of `file` as `container` sees them.
    func residentPages(of file: FileID, in container: ContainerID = ContainerID(0)) -> [UInt64] {
        residency(of: file, in: container).enumerated().filter { $0.element.isResident }.map { UInt64($0.offset) }
    }

    /// The file pages carrying PG_readahead.
    func markedPages(of file: FileID, in container: ContainerID = ContainerID(0)) -> [UInt64] {
        residency(of: file, in: container).enumerated().filter { $0.element.hasReadaheadMarker }.map { UInt64($0.offset) }
    }

    func assertInvariants(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(invariantViolations(), [], file: file, line: line)
    }
}

func pages(_ range: Range<UInt64>) -> [UInt64] { Array(range) }
