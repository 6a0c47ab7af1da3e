import EROFS
import Foundation
import PageCacheModel

/// Gives each session file the model's id the first time the replay touches it, and records
/// where its pages go under every design (the resolvers' tables), which blob holds its data
/// and how reads of it widen (compressed files).
///
/// Registration only grows: a file keeps its id for the life of the model, also when the
/// replay goes back in time (a restored checkpoint simply has nothing cached for it yet).
/// Changing the model's shape (domains) means a new registrar.
final class FileRegistrar {
    let catalogs: [ImageCatalog]
    let designs: [SharingDesign]
    let planner: PlacementPlanner
    let files = FileRegistry()
    let spaces = AddressSpaceRegistry()
    let resolvers: [DesignResolver]
    /// How reads of compressed files widen to their extents (shared by the resolvers).
    let readmore = CompressedReadahead()
    private(set) var fileIDs: [SessionFile: FileID] = [:]
    /// The session file of each model id (ids are dense).
    private(set) var sessionFiles: [SessionFile] = []
    /// The blob holding each registered file's data (nil: not in a device), by model id.
    private(set) var blobNames: [String?] = []
    /// By model id: the first replay position at which the file counts as used (its first use
    /// came before it; `Int.max`: only looked at, never used). Views show used files only, so
    /// they do not depend on what the model registered for other reasons or in another pass.
    private(set) var usedFrom: [Int] = []
    private var blobIndexes: [String: Int] = [:]
    /// The space of each blob name, so a file of a known blob costs one lookup.
    private var blobSpaces: [String: AddressSpaceID] = [:]
    /// Interned spaces of fingerprints and of page contents (by content id), so each is named once.
    private var fingerprintSpaces: [SpaceIdentity: AddressSpaceID] = [:]
    private var contentSpaces: [AddressSpaceID?] = []

    init(catalogs: [ImageCatalog], sharing: SharingIndex, designs: [SharingDesign], domains: [Int: String]) {
        self.catalogs = catalogs
        self.designs = designs
        planner = PlacementPlanner(catalogs: catalogs, sharing: sharing, domains: domains)
        let spaces = self.spaces, readmore = self.readmore
        resolvers = designs.map { design in
            guard design == .flat else { return DesignResolver(design: design, readmore: readmore) }
            return DesignResolver(design: design, readmore: readmore) { container, space in
                spaces.makeUnique(AddressSpaceDescriptor(kind: .inode, name: "flat/\(container.rawValue)/\(space.rawValue)"))
            }
        }
    }

    /// The resolver of `design`.
    func resolver(_ design: SharingDesign) -> DesignResolver? { designs.firstIndex(of: design).map { resolvers[$0] } }

    /// The id of a file registered already.
    func id(of file: SessionFile) -> FileID? { fileIDs[file] }

    /// The session file behind a model file id.
    func sessionFile(_ id: FileID) -> SessionFile { sessionFiles[Int(id.rawValue)] }

    /// Whether the replay had used file `id` by `position`.
    func isUsed(_ id: FileID, at position: Int) -> Bool { usedFrom[Int(id.rawValue)] <= position }

    /// Records that the replay uses file `id` from `position` on.
    @inline(__always)
    func noteUse(_ id: FileID, from position: Int) {
        let i = Int(id.rawValue)
        if usedFrom[i] > position { usedFrom[i] = position }
    }

    /// The file's id, registering it (and computing its placement under every design) the first
    /// time. Throws what reading the image threw (the caller tells a bad file from a bad image).
    func register(_ file: SessionFile) throws -> FileID {
        if let id = fileIDs[file] { return id }
        if file.isManagedCache { return registerManagedCache(file) }
        let image = catalogs[file.image].image
        // The catalog walk decoded the inodes of the tree already.
        let inode = try catalogs[file.image].inode(file.nid)
        // The packed inode (fragments) and the metabox are metadata: read by the filesystem
        // itself, never by a process, and never shared.
        let filesystemInternal = file.nid == image.superblock.packedNID || file.nid == image.superblock.metaboxNID
        let kind: FileKind = filesystemInternal ? .metadata : inode.type == .directory ? .directory : inode.type == .regular ? .regular : .metadata
        let (placements, firstExtent): ([FilePlacement], DataExtent?) = filesystemInternal
            ? (designs.map { _ in .linear(.inode(image: file.image, nid: file.nid), firstPage: 0) }, nil)
            : try planner.placements(of: file, inode: inode, under: designs)
        let id = files.register(size: inode.size, kind: kind, image: file.image, nid: file.nid)
        // Each file is registered once, so its own space is new: no need to look it up.
        let ownKind: AddressSpaceDescriptor.Kind = filesystemInternal ? .metadata : kind == .directory ? .directory : .inode
        let own = spaces.makeUnique(AddressSpaceDescriptor(kind: ownKind, image: file.image, nid: file.nid))
        for (resolver, placement) in zip(resolvers, placements) {
            switch placement {
            case .linear(let space, let first):
                resolver.record(id, linear: intern(space, own: own), base: first)
            case .perPage(let ids):
                resolver.record(id, pages: ids.map(contentSpace), fallback: own)
            }
        }
        readmore.register(id, inode: inode, image: image)
        return remember(file, as: id, blob: try? Self.blobName(of: inode, firstExtent: firstExtent, in: image))
    }

    /// The managed cache of an image: compressed pages by block address, in a metadata space of
    /// its own under every design (the kernel never shares it).
    private func registerManagedCache(_ file: SessionFile) -> FileID {
        let image = catalogs[file.image].image
        let id = files.register(size: image.devices[0].size, kind: .metadata, image: file.image, nid: file.nid)
        let space = spaces.intern(AddressSpaceDescriptor(kind: .metadata, image: file.image, nid: file.nid, name: "managed-cache"))
        for resolver in resolvers { resolver.record(id, linear: space, base: 0) }
        return remember(file, as: id, blob: nil)
    }

    /// Files are registered densely: the tables are indexed by model file id.
    private func remember(_ file: SessionFile, as id: FileID, blob: String?) -> FileID {
        fileIDs[file] = id
        sessionFiles.append(file)
        blobNames.append(blob)
        usedFrom.append(Int.max)
        return id
    }

    private func intern(_ space: SpaceIdentity, own: AddressSpaceID) -> AddressSpaceID {
        switch space {
        case .inode: return own
        case .blob(let name):
            if let id = blobSpaces[name] { return id }
            let index = blobIndexes[name] ?? { let i = blobIndexes.count; blobIndexes[name] = i; return i }()
            let id = spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: index, name: name))
            blobSpaces[name] = id
            return id
        case .fingerprint(let fp, let size, let compressed):
            // Found by the identity itself; the name (costly hex) is made once per fingerprint.
            if let id = fingerprintSpaces[space] { return id }
            let id = spaces.makeUnique(AddressSpaceDescriptor(kind: .fingerprint, name: "\(Self.hexDigits(fp)):\(size):\(compressed ? "z" : "p")"))
            fingerprintSpaces[space] = id
            return id
        case .content(let id):
            return contentSpace(id)
        }
    }

    /// The one-page space of content id `id` (ideal dedup), made once per id (ids are dense).
    private func contentSpace(_ id: UInt64) -> AddressSpaceID {
        let descriptor = { AddressSpaceDescriptor(kind: .content, name: "c\(id)") }
        guard id < UInt64(Int32.max) else { return spaces.intern(descriptor()) }
        let i = Int(id)
        if i < contentSpaces.count, let space = contentSpaces[i] { return space }
        let space = spaces.makeUnique(descriptor())
        if i >= contentSpaces.count { contentSpaces += repeatElement(nil, count: i + 1 - contentSpaces.count) }
        contentSpaces[i] = space
        return space
    }

    /// The blob holding the start of a file's data, if it is in a device (`firstExtent`: the
    /// extent holding byte 0, when already read).
    static func blobName(of inode: Inode, firstExtent: DataExtent? = nil, in image: Image) throws -> String? {
        guard inode.type == .regular, inode.size > 0,
              case .device(let id, _) = try (firstExtent ?? image.extent(of: inode, at: 0)).location else { return nil }
        return BlobIdentity.blobName(of: image, device: id)
    }

    /// Each byte in lowercase hex without padding (`[0x0a, 0xff]` → "aff"), as space names show
    /// fingerprints.
    static func hexDigits(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            if b >= 16 { out.append(digits[Int(b >> 4)]) }
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
