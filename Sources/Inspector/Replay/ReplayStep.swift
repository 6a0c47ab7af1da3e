import EROFS
import Foundation
import Workload

/// A file of one of the session's images.
public struct SessionFile: Hashable, Sendable {
    public var image: Int
    public var nid: UInt64
    public init(image: Int, nid: UInt64) { self.image = image; self.nid = nid }

    /// EROFS keeps compressed pclusters it may need again in a "managed cache" inode whose
    /// inode number is 0 (never a real nid); its pages are indexed by block address.
    public static let managedCacheNID: UInt64 = 0
    /// The managed cache of `image`.
    public static func managedCache(of image: Int) -> SessionFile { SessionFile(image: image, nid: managedCacheNID) }
    public var isManagedCache: Bool { nid == SessionFile.managedCacheNID }
}

/// One thing a container did, with files resolved into the session's images.
public enum ReplayAction: Sendable, Equatable {
    case open(SessionFile, handle: Int64)
    case read(handle: Int64, offset: UInt64?, length: UInt64)
    case pread(handle: Int64, offset: UInt64, length: UInt64)
    case mmap(handle: Int64, offset: UInt64, length: UInt64)
    case close(handle: Int64)
    /// A buffered read of pages `first...last` seen by the kernel (ftrace `get_pages`).
    case getPages(SessionFile, first: UInt64, last: UInt64)
    case fault(SessionFile, page: UInt64)
    case mapPages(SessionFile, first: UInt64, last: UInt64)
    case pageAdd(SessionFile, page: UInt64, count: UInt64)
    case pageDelete(SessionFile, page: UInt64, count: UInt64)
    case readDirectory(SessionFile)
    case note(String)
}

/// One step of a replay: when, which container, what.
public struct ReplayStep: Sendable, Equatable {
    /// Seconds from the start of the replay.
    public var time: Double
    public var container: Int
    public var action: ReplayAction
}

/// What could not be replayed, for the summary.
public struct ReplayDiagnostics: Sendable, Equatable {
    /// Trace diagnostics (malformed lines etc.), per input, with the input's name.
    var traceDiagnostics: [(input: String, diagnostic: TraceDiagnostic)] = []
    /// Events naming files outside every image (host files, other mounts).
    public var outsideImage = 0
    /// Events naming containers that do not exist.
    public var unknownContainer = 0
    /// Malformed lines across all inputs.
    public var malformedLines = 0

    public static func == (a: Self, b: Self) -> Bool {
        a.outsideImage == b.outsideImage && a.unknownContainer == b.unknownContainer &&
            a.malformedLines == b.malformedLines
    }
}
