public enum TraceFormat: String, Sendable, CaseIterable {
    /// erofs-top JSON Lines (see NATIVE-FORMAT.md).
    case native
    /// `strace [-f] [-t|-tt|-ttt] [-T] [-y] -e trace=openat,read,pread64,mmap,close -o LOG`.
    case strace
    /// ftrace text (`trace`, `trace_pipe`, `trace-cmd report`, `perf script`) with
    /// `filemap:mm_filemap_*` events.
    case ftrace

    /// Guesses the format from the first lines of a file (blank and `#` lines are skipped,
    /// except that an ftrace `# tracer:` banner decides for ftrace). `nil` if nothing matches.
    public static func detect<S: StringProtocol>(firstLines: [S]) -> TraceFormat? {
        for raw in firstLines.prefix(64) {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty { continue }
            if line.hasPrefix("# tracer:") { return .ftrace }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("{") { return .native }
            let bytes = Array(line.utf8)
            if bytes.withUnsafeBufferPointer({ FtraceParser.looksLikeFtrace($0) }) { return .ftrace }
            if bytes.withUnsafeBufferPointer({ StraceParser.looksLikeStrace($0) }) { return .strace }
        }
        return nil
    }
}
