import EROFS
import Foundation
import PageCacheModel

extension Session {
    /// The model's id for a file, registering it (and computing its placement under every
    /// design) the first time. Nil when the file cannot be read (it is then left out, see
    /// `unreadableFiles`); throws `ReplayFailure` when its image can no longer be read.
    public func fileID(for file: SessionFile) throws -> FileID? {
        if let id = fileIDs[file] { return id }
        guard unreadableFiles[file] == nil else { return nil }
        if file.isManagedCache { return registerManagedCache(file) }
        do {
            let image = catalogs[file.image].image
            let inode = try image.inode(file.nid)
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
                    let pages = ids.map(contentSpace)
                    resolver.record(id, pages: pages, fallback: own)
                }
            }
            readmore.register(id, inode: inode, image: image)
            return remember(file, as: id, blob: try? blobName(of: inode, firstExtent: firstExtent, in: image))
        } catch {
            if let failure = replayFailure(after: error, image: file.image) {
                self.failure = failure
                throw failure
            }
            unreadableFiles[file] = "\(error)"
            return nil
        }
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

    /// Files are registered densely: the session's tables are indexed by model file id.
    private func remember(_ file: SessionFile, as id: FileID, blob: String?) -> FileID {
        fileIDs[file] = id
        sessionFiles.append(file)
        blobNames.append(blob)
        return id
    }

    /// The session file behind a model file id.
    public func sessionFile(_ id: FileID) -> SessionFile { sessionFiles[Int(id.rawValue)] }

    private func intern(_ space: SpaceIdentity, own: AddressSpaceID) -> AddressSpaceID {
        switch space {
        case .inode: return own
        case .blob(let name):
            let index = blobIndexes[name] ?? { let i = blobIndexes.count; blobIndexes[name] = i; return i }()
            return spaces.intern(AddressSpaceDescriptor(kind: .blob, blob: index, name: name))
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

    private func implicitHandle(_ container: Int, _ file: FileID) -> OpenFileID {
        let key = ImplicitKey(container: container, file: file)
        if let h = implicitHandles[key] { return h }
        let h = simulator.open(ContainerID(UInt16(container)), file)
        implicitHandles[key] = h
        return h
    }

    /// Applies the next step; false when the workload is finished. Throws `ReplayFailure` when
    /// the replay cannot go on (see `failure`).
    @discardableResult
    public func step() throws -> Bool {
        if let failure { throw failure }
        guard position < steps.count else { return false }
        try apply(steps[position])
        position += 1
        return true
    }

    /// Applies steps up to and including replay time `time`; returns how many.
    @discardableResult
    public func run(until time: Double) throws -> Int {
        var n = 0
        while position < steps.count, steps[position].time <= time { try step(); n += 1 }
        return n
    }

    /// Applies at most `count` steps; returns how many.
    @discardableResult
    public func run(steps count: Int) throws -> Int {
        var n = 0
        while n < count, try step() { n += 1 }
        return n
    }

    /// Replays everything that is left.
    public func runToEnd() throws {
        while try step() {}
        simulator.sampleNow()
    }

    /// Reads a whole file through the model as `cat` would, in `container` (the UI's `r` key).
    /// False when the file cannot be read (`unreadableFiles` says why).
    @discardableResult
    public func read(_ file: SessionFile, container: Int) throws -> Bool {
        guard let id = try fileID(for: file) else { return false }
        let c = ContainerID(UInt16(container))
        if files[id].kind == .directory { simulator.readDirectory(c, id); return true }
        let h = simulator.open(c, id)
        var offset: UInt64 = 0
        repeat {
            simulator.read(h, offset: offset, length: 128 << 10)
            offset += 128 << 10
        } while offset < files[id].size
        simulator.close(h)
        return true
    }

    /// Empties every design's cache (echo 3 > drop_caches).
    public func dropCaches() {
        simulator.dropCaches()
    }

    func apply(_ s: ReplayStep) throws {
        simulator.advance(to: s.time)
        let c = ContainerID(UInt16(s.container))
        let pageEvents = configuration.replayPageEvents
        switch s.action {
        case .open(let f, let h):
            guard !pageEvents, let id = try fileID(for: f) else { return }
            handles[h] = simulator.open(c, id)
            handleFiles[h] = f
        case .read(let h, let offset, let length):
            guard let mh = handles[h] else { return }
            simulator.read(mh, offset: offset, length: length)
        case .pread(let h, let offset, let length):
            guard let mh = handles[h] else { return }
            simulator.pread(mh, offset: offset, length: length)
        case .mmap(let h, let offset, let length):
            // strace shows the mapping but not which pages are touched: without fault events
            // for the file, they are estimated (Session+MmapEstimate).
            guard let mh = handles[h] else { return }
            try mapAndEstimate(container: c, handle: h, open: mh, offset: offset, length: length)
        case .close(let h):
            guard let mh = handles.removeValue(forKey: h) else { return }
            handleFiles[h] = nil
            pendingPlanPages[h] = nil
            simulator.close(mh)
        case .getPages(let f, let first, let last):
            guard !pageEvents, let id = try fileID(for: f), last >= first else { return }
            let length = (last - first + 1) * UInt64(4096)
            simulator.read(implicitHandle(s.container, id), offset: first * 4096, length: length)
        case .fault(let f, let page):
            guard !pageEvents, let id = try fileID(for: f) else { return }
            simulator.fault(c, id, page: page)
        case .mapPages(let f, let first, let last):
            guard !pageEvents, let id = try fileID(for: f), last >= first else { return }
            simulator.mapPages(c, id, pages: first..<(last + 1))
        case .pageAdd(let f, let page, let count):
            guard let id = try fileID(for: f) else { return }
            if pageEvents {
                simulator.pageAdd(c, id, page: page, count: count)
            } else if files[id].kind != .regular {
                // Directory blocks are read without get_pages events; their adds are the reads.
                simulator.accessPages(c, id, pages: page..<(page + count))
            }
        case .pageDelete(let f, let page, let count):
            guard pageEvents, let id = try fileID(for: f) else { return }
            simulator.pageDelete(c, id, page: page, count: count)
        case .readDirectory(let f):
            guard let id = try fileID(for: f) else { return }
            simulator.readDirectory(c, id)
        case .note(let text):
            lastNote = text
        }
    }
}
