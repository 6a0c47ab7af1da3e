#if canImport(Glibc)
import Glibc
#endif

extension LayerStack {
    /// Extracts the merged tree into `destination`, as `Image.extract` does for one image:
    /// each name's bytes and attributes come from the layer that wins it.
    @discardableResult
    public func extract(to destination: String, options: ExtractOptions = ExtractOptions()) throws -> ExtractSummary {
        var summary = ExtractSummary()
        var linked: [[UInt64]: String] = [:]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        let top = layers[layers.count - 1]
        if mkdir(destination, 0o755) != 0 && errno != EEXIST { throw top.ioError("cannot create \(destination)") }
        try walk { event in
            switch event {
            case .entry(let entry):
                let image = layers[entry.layer]
                let inode = entry.inode
                let target = entry.path == "/" ? destination : destination + entry.path
                let key = [UInt64(entry.layer), inode.nid]
                switch inode.type {
                case .directory:
                    if entry.path != "/", mkdir(target, 0o700) != 0 && errno != EEXIST { throw image.ioError("cannot create directory \(target)") }
                    summary.directories += 1
                    return
                case .regular:
                    if inode.nlink > 1, let first = linked[key] {
                        unlink(target)
                        if link(first, target) != 0 { throw image.ioError("cannot link \(target)") }
                        summary.hardLinks += 1
                        return
                    }
                    try withLocation(image: image.path, path: entry.path) { try image.writeFile(inode, to: target, buffer: buffer) }
                    summary.files += 1
                    summary.bytes += inode.size
                    if inode.nlink > 1 { linked[key] = target }
                case .symlink:
                    let link = try symlinkTarget(entry)
                    unlink(target)
                    if symlink(link, target) != 0 { throw image.ioError("cannot create symlink \(target)") }
                    summary.symlinks += 1
                case .characterDevice, .blockDevice, .fifo, .socket:
                    guard try image.createSpecialNode(inode, at: target, options: options, summary: &summary) else { return }
                }
                try image.restoreAttributes(inode, at: target, options: options)
            case .leaveDirectory(let entry):
                try layers[entry.layer].restoreAttributes(entry.inode, at: entry.path == "/" ? destination : destination + entry.path, options: options)
            }
        }
        return summary
    }
}
