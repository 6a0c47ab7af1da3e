import EROFS
import Foundation
import Workload

/// Which pages of a mounted image's files are in the page cache now (mincore), as `add` events.
enum Residency {
    static func cachedPages(of image: Image, mountedAt mountpoint: String, container: String) throws -> [TraceEvent] {
        var events: [TraceEvent] = []
        let pageSize = Int(TraceLimits.pageSize)
        try image.walk { event in
            guard case .entry(let path, let inode) = event, inode.type == .regular, inode.size > 0 else { return }
            let fd = open(mountpoint + path, O_RDONLY)
            guard fd >= 0 else { return }
            defer { close(fd) }
            let length = Int(inode.size)
            guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return }
            defer { munmap(map, length) }
            let pages = (length + pageSize - 1) / pageSize
            var vector = [UInt8](repeating: 0, count: pages)
            guard mincore(map, length, &vector) == 0 else { return }
            var page = 0
            while page < pages {
                guard vector[page] & 1 != 0 else { page += 1; continue }
                var end = page
                while end < pages, vector[end] & 1 != 0 { end += 1 }
                events.append(TraceEvent(container: container, kind: .pageAdd(file: .path(path), device: nil, page: UInt64(page), count: UInt64(end - page))))
                page = end
            }
        }
        return events
    }
}
