import JSONOutput
/// Writes the native JSON Lines format (see NATIVE-FORMAT.md); `NativeParser` reads it back.
extension TraceEvent {
    /// One line of native JSON (no trailing newline).
    public var nativeJSON: String {
        var parts: [String] = []
        if let time { parts.append("\"t\":" + formatSeconds(time)) }
        if let container { parts.append("\"c\":" + JSONString.quoted(container)) }
        if let pid { parts.append("\"pid\":\(pid)") }
        parts.append("\"ev\":\"\(kind.name.rawValue)\"")
        func file(_ f: FileRef) {
            switch f {
            case .path(let p): parts.append("\"path\":" + JSONString.quoted(p))
            case .nid(let n): parts.append("\"nid\":\(n)")
            }
        }
        func target(_ t: FileTarget) {
            switch t {
            case .file(let f, let dev):
                file(f)
                if let dev { parts.append("\"dev\":" + JSONString.quoted(dev)) }
            case .handle(let h): parts.append("\"fd\":\(h)")
            }
        }
        switch kind {
        case .open(let f, let h): file(f); parts.append("\"fd\":\(h)")
        case .read(let h, let off, let len):
            parts.append("\"fd\":\(h)")
            if let off { parts.append("\"off\":\(off)") }
            parts.append("\"len\":\(len)")
        case .pread(let h, let off, let len): parts.append("\"fd\":\(h)"); parts.append("\"off\":\(off)"); parts.append("\"len\":\(len)")
        case .mmap(let h, let off, let len, let addr):
            parts.append("\"fd\":\(h)"); parts.append("\"off\":\(off)"); parts.append("\"len\":\(len)")
            if let addr { parts.append("\"addr\":\(addr)") }
        case .fault(let t, let page): target(t); parts.append("\"page\":\(page)")
        case .mapPages(let t, let first, let last), .getPages(let t, let first, let last):
            target(t); parts.append("\"page\":\(first)"); parts.append("\"last\":\(last)")
        case .close(let h): parts.append("\"fd\":\(h)")
        case .pageAdd(let f, let dev, let page, let count), .pageDelete(let f, let dev, let page, let count):
            file(f)
            if let dev { parts.append("\"dev\":" + JSONString.quoted(dev)) }
            parts.append("\"page\":\(page)")
            if count != 1 { parts.append("\"n\":\(count)") }
        case .dirRead(let f): file(f)
        case .note(let text): parts.append("\"text\":" + JSONString.quoted(text))
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

extension TraceMetadata {
    /// The native header line for this metadata (no trailing newline).
    public var nativeHeader: String {
        var parts = ["\"erofs_top_trace\":\(version ?? NativeParser.version)"]
        if let readaheadKB { parts.append("\"readahead_kb\":\(readaheadKB)") }
        if !containers.isEmpty { parts.append("\"containers\":[" + containers.map(JSONString.quoted).joined(separator: ",") + "]") }
        if !devices.isEmpty {
            parts.append("\"devices\":{" + devices.sorted { $0.key < $1.key }.map { JSONString.quoted($0.key) + ":" + JSONString.quoted($0.value) }.joined(separator: ",") + "}")
        }
        switch cache {
        case .cold?: parts.append("\"cache\":\"cold\"")
        case .warm?: parts.append("\"cache\":\"warm\"")
        case .other(let s)?: parts.append("\"cache\":" + JSONString.quoted(s))
        case nil: break
        }
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { parts.append(JSONString.quoted(k) + ":" + v) }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// Shortest decimal that round-trips, never exponent notation for ordinary trace times.
private func formatSeconds(_ t: Double) -> String {
    if t == t.rounded(), abs(t) < 1e15 { return String(Int64(t)) }
    let s = "\(t)"
    if s.contains("e") {
        // Tiny or huge: fall back to fixed notation with microsecond precision.
        var v = (t * 1_000_000).rounded()
        if !v.isFinite { v = 0 }
        let micros = Int64(exactly: v) ?? 0
        let whole = micros / 1_000_000, frac = micros % 1_000_000
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: 6 - f.count) + f
    }
    return s
}
