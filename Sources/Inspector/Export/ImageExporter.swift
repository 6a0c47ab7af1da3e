import EROFS
import Foundation

/// One image to export: a single EROFS image, or a layer stack seen as its merged view.
public struct ExportUnit: Sendable {
    /// The `image` column: the name `report` gives the container (the file name without
    /// `.erofs`; a stack's top layer; an OCI layout's reference).
    public var name: String
    /// Layer images, lowest first (one for a single image).
    public var layers: [ImageSpec]
    /// The `layer` column of each layer: `report`'s image label (the file name, or
    /// `sha256:` + 12 hex digits for a converted OCI layer).
    public var labels: [String]

    public init(name: String, layers: [ImageSpec], labels: [String]) {
        precondition(!layers.isEmpty && layers.count == labels.count, "one label per layer")
        self.name = name; self.layers = layers; self.labels = labels
    }

    /// The file name (without extension) of this unit's tables: the name with characters
    /// that engines' path handling dislikes (anything but letters, digits, `.`, `_`, `-`) as `_`.
    public var fileName: String {
        let safe = name.unicodeScalars.map { s -> Character in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "." || s == "_" || s == "-")) ? Character(s) : "_"
        }
        let text = String(safe)
        return text.hasPrefix(".") ? "_" + text.dropFirst() : text
    }
}

/// What to export.
public struct ExportOptions: Sendable {
    public var formats: [ExportFormat] = ExportFormat.allCases
    /// Read every regular file's data: computed fingerprints, chunk and page digests. Without
    /// it the export is metadata only (fast; the `chunk` queries then cannot deduplicate).
    public var readData = true
    public init() {}
}

/// Rows written for one unit, and how long it took.
public struct ExportSummary: Sendable {
    public var name: String
    public var files = 0
    public var chunks = 0
    public var pages = 0
    /// Regular files whose data could not be read (missing or mismatched blob): `data_read` false.
    public var filesWithoutData = 0
    public var seconds = 0.0
}

/// Writes the `files`, `chunks` and `pages` tables of one unit.
final class ImageExporter {
    private let unit: ExportUnit
    private let options: ExportOptions
    private var files: TableWriter!
    private var chunks: TableWriter!
    private var pages: TableWriter!
    private var summary: ExportSummary
    /// Per (layer, nid) of a regular file already exported: its file-row values after `size`.
    private var done: [LayerNID: [ExportValue]] = [:]

    private struct LayerNID: Hashable { var layer: Int; var nid: UInt64 }

    init(unit: ExportUnit, options: ExportOptions) {
        self.unit = unit
        self.options = options
        summary = ExportSummary(name: unit.name)
    }

    /// Opens the unit's images and writes its tables into `folder`/TABLE/NAME.FORMAT.
    func run(into folder: String) throws -> ExportSummary {
        let start = Date()
        let images = try unit.layers.map { spec -> Image in
            var spec = spec
            spec.allowMissingDevices = true
            return try Image(spec)
        }
        let base = unit.fileName
        do {
            files = try TableWriter(table: .files, folder: folder, baseName: base, formats: options.formats)
            chunks = try TableWriter(table: .chunks, folder: folder, baseName: base, formats: options.formats)
            pages = try TableWriter(table: .pages, folder: folder, baseName: base, formats: options.formats)
            if images.count == 1 {
                try images[0].walk { event in
                    guard case .entry(let path, let inode) = event else { return }
                    try exportEntry(path: path, inode: inode, layer: 0, image: images[0])
                }
            } else {
                let stack = LayerStack(layers: images, labels: unit.labels)
                try stack.walk { event in
                    guard case .entry(let entry) = event else { return }
                    if entry.type == .directory {
                        // read-all reads a merged directory in every layer that contributes to it.
                        for part in entry.directories {
                            try exportEntry(path: entry.path, inode: part.inode, layer: part.layer, image: images[part.layer])
                        }
                    } else {
                        try exportEntry(path: entry.path, inode: entry.inode, layer: entry.layer, image: images[entry.layer])
                    }
                }
            }
            try files.finish(); try chunks.finish(); try pages.finish()
        } catch {
            files?.abandon(); chunks?.abandon(); pages?.abandon()
            throw error
        }
        summary.files = files.rows
        summary.chunks = chunks.rows
        summary.pages = pages.rows
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    private func key(_ layer: Int) -> [ExportValue] {
        [.int(UInt64(ExportSchema.version)), .string(unit.name), .string(unit.labels[layer])]
    }

    private func exportEntry(path: String, inode: Inode, layer: Int, image: Image) throws {
        let pageSize = UInt64(ExportSchema.pageSize)
        let counted = inode.type == .regular || inode.type == .directory
        var row = key(layer) + [
            .int(UInt64(layer)), .string(path), .int(inode.nid), .string(inode.type.rawValue),
            .string(octalMode(inode.permissions)), .int(inode.size), .int(counted ? (inode.size + pageSize - 1) / pageSize : 0),
        ]
        if inode.type == .regular {
            let id = LayerNID(layer: layer, nid: inode.nid)
            let rest = try done[id] ?? exportData(path: path, inode: inode, layer: layer, image: image)
            done[id] = rest
            row += rest
        } else {
            row += [.null, .null, .string(inode.layout.description), .bool(false), .null, .null, .null, .bool(false)]
        }
        try files.append(row)
    }

    /// Writes a regular file's chunks and pages; returns its file-row values after `pages`.
    private func exportData(path: String, inode: Inode, layer: Int, image: Image) throws -> [ExportValue] {
        let stored = try image.fingerprint(of: inode).flatMap { inode.size > 0 && Fingerprints.isUsable($0, blockSize: image.blockSize) ? formatFingerprint($0) : nil }
        let extents = inode.size > 0 ? try image.extents(of: inode) : []
        var compression: String?
        if inode.layout.isCompressed {
            // The map header's algorithms; a whole-file fragment has none: its extents' then (raw).
            var names = try image.compressionLayout(of: inode)?.algorithms ?? []
            if names.isEmpty {
                for case .compressed(let c) in extents.map(\.location) where !names.contains(c.algorithm.name) { names.append(c.algorithm.name) }
            }
            compression = names.isEmpty ? nil : names.joined(separator: ",")
        }
        var digests: ContentDigests?
        if options.readData, inode.size > 0 {
            do {
                digests = try ContentDigests.compute(image, inode, extents: extents)
            } catch let error as EROFSError where error.kind == .blobMissing || error.kind == .blobMismatch {
                summary.filesWithoutData += 1
            } catch var error as EROFSError {
                if error.path == nil { error.path = path }
                throw error
            }
        }
        let dataRead = digests != nil || inode.size == 0
        for (i, extent) in extents.enumerated() {
            var location: [ExportValue]
            switch extent.location {
            case .hole:
                location = [.string("hole"), .null, .null, .null, .null, .null, .null]
            case .device(let id, let offset):
                location = [.string("device"), .int(UInt64(id)), tag(image, id), .int(offset), .int(extent.length), .null, .null]
            case .inline(let offset):
                location = [.string("inline"), .null, .null, .int(offset), .int(extent.length), .null, .null]
            case .compressed(let c):
                let onDevice = c.kind != .inline && c.kind != .fragment
                location = [.string("compressed"), onDevice ? .int(UInt64(c.device)) : .null, onDevice ? tag(image, c.device) : .null,
                            .int(c.physicalOffset), .int(c.physicalLength), .string(c.algorithm.name), .string(c.kind.name)]
            }
            let digest: ExportValue = digests.map { .string($0.extents[i]) } ?? .null
            try chunks.append(key(layer) + [.string(path), .int(inode.nid), .int(extent.chunk ?? UInt64(i)), .int(extent.logicalOffset),
                                            .int(extent.length)] + location + [digest])
        }
        if let digests {
            for (p, digest) in digests.pages.enumerated() {
                try pages.append(key(layer) + [.int(inode.nid), .int(UInt64(p)), .string(digest)])
            }
        }
        var device: ExportValue = .null
        var blob: ExportValue = .null
        if let first = extents.first {
            switch first.location {
            case .device(let id, _): device = .int(UInt64(id)); blob = tag(image, id)
            case .compressed(let c) where c.kind != .inline && c.kind != .fragment: device = .int(UInt64(c.device)); blob = tag(image, c.device)
            default: break
            }
        }
        let computed: ExportValue = digests.map { .string(formatFingerprint(Array("sha256:".utf8) + $0.file)) } ?? .null
        return [stored.map { .string($0) } ?? .null, computed, .string(inode.layout.description), .bool(inode.layout.isCompressed),
                compression.map { .string($0) } ?? .null, device, blob, .bool(dataRead)]
    }

    /// The device's tag (`blob_tag`): null for the primary device.
    private func tag(_ image: Image, _ id: Int) -> ExportValue {
        guard id > 0, id < image.devices.count, let slot = image.devices[id].slot else { return .null }
        return .string(slot.tag)
    }
}
