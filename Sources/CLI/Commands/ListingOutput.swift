import EROFS
import Inspector

/// The lines (or JSON array) `ls` prints, written into one byte buffer handed to standard
/// output every 64 KiB.
struct ListingOutput {
    let image: Image
    let json: Bool
    let long: Bool
    private var buffer: [UInt8] = []
    private var first = true
    private var dates = ListingWriter.DateCache()

    init(image: Image, json: Bool, long: Bool) {
        self.image = image
        self.json = json
        self.long = long
        buffer.reserveCapacity(1 << 17)
        if json { buffer.append(UInt8(ascii: "[")) }
    }

    /// One entry: `path` and `name` for JSON, `shown` (the path or the name) for text.
    mutating func emit(path: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, shown: UnsafeRawBufferPointer, inode: Inode) {
        if json {
            ListingWriter.appendKey(first ? "\n" : ",\n", to: &buffer)
            ListingWriter.appendJSON(pathBytes: path, nameBytes: name, inode: inode, image: image, to: &buffer)
        } else {
            if long {
                ListingWriter.appendLine(name: shown, inode: inode, image: image, dates: &dates, to: &buffer)
            } else {
                buffer.append(contentsOf: shown)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
        first = false
        if buffer.count >= 1 << 16 {
            Output.shared.bytes(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// `emit` for a path and name given as text (the name as `lastPathComponent` gives it for JSON).
    mutating func emit(path: String, name: String, showsPath: Bool, inode: Inode) {
        var path = path, name = name
        if json { name = lastPathComponent(path) }
        path.withUTF8 { p in
            name.withUTF8 { n in
                let p = UnsafeRawBufferPointer(p), n = UnsafeRawBufferPointer(n)
                emit(path: p, name: n, shown: showsPath ? p : n, inode: inode)
            }
        }
    }

    /// Closes the JSON array and writes what is left.
    mutating func finish() {
        if json { ListingWriter.appendKey(first ? "]\n" : "\n]\n", to: &buffer) }
        Output.shared.bytes(buffer)
        buffer.removeAll()
    }
}
