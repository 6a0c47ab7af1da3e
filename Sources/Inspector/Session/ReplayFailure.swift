import EROFS

/// Why a replay cannot go on: reading an image or blob failed during the replay, and either the
/// system refused the read (an I/O error) or one of the image's files changed on disk after the
/// session opened it (truncated, rewritten, removed). Every number after that point would be
/// wrong, so the replay stops and the error is reported.
///
/// A problem with one file of an unchanged image (a corrupt inode, an unsupported layout) is
/// not a failure: that file is left out and `Session.unreadableFiles` says why.
public struct ReplayFailure: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in words (which file changed and how, or which read failed).
    public var reason: String
    /// The read error that revealed it.
    public var underlying: String

    public init(reason: String, underlying: String) {
        self.reason = reason
        self.underlying = underlying
    }

    public var description: String { "replay stopped: \(reason): \(underlying)" }
}

extension Session {
    /// The failure a read error during the replay amounts to, or nil when it concerns only the
    /// file being read (its image's files are as the session opened them).
    func replayFailure(after error: Error, image: Int) -> ReplayFailure? {
        if let change = sourceStamps[image].lazy.compactMap({ $0.change() }).first {
            return ReplayFailure(reason: change, underlying: "\(error)")
        }
        if let error = error as? EROFSError, error.kind == .io {
            return ReplayFailure(reason: "\(catalogs[image].label) could not be read", underlying: "\(error)")
        }
        return nil
    }
}
