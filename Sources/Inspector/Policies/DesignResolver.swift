import PageCacheModel

/// The model's view of one sharing design: file pages → cached pages, from precomputed tables.
final class DesignResolver: PageIdentityResolver {
    let design: SharingDesign
    // The tables skip dynamic exclusivity checks (they cost a fifth of a page lookup): the
    // resolver is used from one thread, and no access to them is held across a call.
    @exclusivity(unchecked) private var linearSpace: [UInt32] = []
    @exclusivity(unchecked) private var linearBase: [UInt64] = []
    /// Per-page spaces for files placed page by page (ideal dedup); index into `perPageTables`.
    @exclusivity(unchecked) private var perPageTable: [Int32] = []
    @exclusivity(unchecked) private var perPageTables: [[AddressSpaceID]] = []

    /// Compressed-file readahead widening, shared by every design's resolver.
    let readmore: CompressedReadahead

    /// `flat` only: makes the private copy of a space for a container.
    private let makePrivate: ((ContainerID, AddressSpaceID) -> AddressSpaceID)?
    @exclusivity(unchecked) private var privateSpaces: [UInt64: AddressSpaceID] = [:]

    init(design: SharingDesign, readmore: CompressedReadahead, makePrivate: ((ContainerID, AddressSpaceID) -> AddressSpaceID)? = nil) {
        self.design = design
        self.readmore = readmore
        self.makePrivate = makePrivate
    }

    /// Records where `file`'s pages go (files are registered in order, densely).
    func record(_ file: FileID, linear space: AddressSpaceID, base: UInt64) {
        grow(to: Int(file.rawValue))
        linearSpace[Int(file.rawValue)] = space.rawValue
        linearBase[Int(file.rawValue)] = base
        perPageTable[Int(file.rawValue)] = -1
    }

    func record(_ file: FileID, pages: [AddressSpaceID], fallback: AddressSpaceID) {
        grow(to: Int(file.rawValue))
        linearSpace[Int(file.rawValue)] = fallback.rawValue
        linearBase[Int(file.rawValue)] = 0
        perPageTable[Int(file.rawValue)] = Int32(perPageTables.count)
        perPageTables.append(pages)
    }

    private func grow(to index: Int) {
        while linearSpace.count <= index {
            linearSpace.append(0); linearBase.append(0); perPageTable.append(-1)
        }
    }

    func readaheadRange(container: ContainerID, file: FileID, pages: Range<UInt64>) -> Range<UInt64> {
        readmore.expand(file, pages)
    }

    func pageKey(container: ContainerID, file: FileID, page: UInt64) -> PageKey {
        let i = Int(file.rawValue)
        let table = perPageTable[i]
        if table >= 0 {
            let pages = perPageTables[Int(table)]
            if page < UInt64(pages.count) { return PageKey(space: pages[Int(page)], index: 0) }
            // Past EOF: keep it in the file's own space so it never aliases real content.
            return PageKey(space: AddressSpaceID(linearSpace[i]), index: page)
        }
        let space = AddressSpaceID(linearSpace[i])
        if let makePrivate {
            // flat: every container has its own copy of every space.
            let key = UInt64(container.rawValue) << 32 | UInt64(space.rawValue)
            let own = privateSpaces[key] ?? {
                let made = makePrivate(container, space)
                privateSpaces[key] = made
                return made
            }()
            return PageKey(space: own, index: linearBase[i] + page)
        }
        return PageKey(space: space, index: linearBase[i] + page)
    }
}
