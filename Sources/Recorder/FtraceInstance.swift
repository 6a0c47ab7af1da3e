import Foundation

/// A private ftrace instance recording the page cache events of a set of devices, streamed to a
/// file from `trace_pipe` while it runs, and removed by `close()`.
public final class FtraceInstance: @unchecked Sendable {
    /// The filemap events erofs-top records.
    public static let events = ["mm_filemap_get_pages", "mm_filemap_fault", "mm_filemap_map_pages",
                                "mm_filemap_add_to_page_cache", "mm_filemap_delete_from_page_cache"]

    public let directory: String
    /// The file `start()` streams to (nil: `start(consumer:)` hands the text over instead).
    public let output: String?
    private var reader: Thread?
    private let done = DispatchSemaphore(value: 0)
    private var removed = false

    /// Finds tracefs (mounting it on /sys/kernel/tracing if needed).
    public static func tracefs() throws -> String {
        for candidate in ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"] where FileManager.default.fileExists(atPath: candidate + "/instances") {
            return candidate
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tracefs", "nodev", "/sys/kernel/tracing"]
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        if FileManager.default.fileExists(atPath: "/sys/kernel/tracing/instances") { return "/sys/kernel/tracing" }
        throw RecordError("no tracefs: mount it with `mount -t tracefs nodev /sys/kernel/tracing` (needs a kernel with CONFIG_FTRACE)")
    }

    /// Creates the instance, enables the events filtered to `devices` ("major:minor"), and
    /// starts streaming to `output`. Tracing stays off until `start()` (or `start(consumer:)`,
    /// with `output` nil).
    public init(name: String, devices: [String], output: String?, bufferKB: Int = 65536) throws {
        let root = try Self.tracefs()
        directory = root + "/instances/" + name
        self.output = output
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        } catch {
            throw RecordError("cannot create the ftrace instance \(directory): \(error.localizedDescription)")
        }
        do {
            try write("0", to: "tracing_on")
            try write(String(bufferKB), to: "buffer_size_kb")
            let filter = devices.compactMap { dev -> String? in
                let parts = dev.split(separator: ":").compactMap { UInt64($0) }
                guard parts.count == 2 else { return nil }
                return "s_dev == \((parts[0] << 20) | parts[1])"
            }.joined(separator: " || ")
            for event in Self.events {
                let path = "events/filemap/\(event)"
                guard FileManager.default.fileExists(atPath: directory + "/" + path) else {
                    throw RecordError("this kernel has no filemap:\(event) trace event")
                }
                if !filter.isEmpty { try write(filter, to: path + "/filter") }
                try write("1", to: path + "/enable")
            }
            if let output { _ = FileManager.default.createFile(atPath: output, contents: nil) }
        } catch {
            close()
            throw error
        }
    }

    private func write(_ text: String, to file: String) throws {
        guard let h = FileHandle(forWritingAtPath: directory + "/" + file) else {
            throw RecordError("cannot open \(directory)/\(file)")
        }
        defer { try? h.close() }
        do { try h.write(contentsOf: Data(text.utf8)) } catch {
            throw RecordError("cannot write '\(text)' to \(directory)/\(file): \(error.localizedDescription)")
        }
    }

    /// Turns tracing on and starts copying `trace_pipe` to the output file.
    public func start() throws {
        guard let output, let out = FileHandle(forWritingAtPath: output) else { throw RecordError("cannot open \(self.output ?? "no output file")") }
        try start({ out.write($0) }, finished: { try? out.close() })
    }

    /// Turns tracing on and hands each piece of `trace_pipe` text to `consumer`, on a reader
    /// thread of its own, until `stop()`.
    public func start(consumer: @escaping @Sendable (Data) -> Void) throws {
        try start(consumer, finished: {})
    }

    private func start(_ consumer: @escaping @Sendable (Data) -> Void, finished: @escaping @Sendable () -> Void) throws {
        guard let pipe = FileHandle(forReadingAtPath: directory + "/trace_pipe") else { throw RecordError("cannot open \(directory)/trace_pipe") }
        let thread = Thread { [done] in
            let fd = pipe.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            var stopping = false
            while true {
                let ready = poll(&pfd, 1, 100)
                if ready > 0 {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n > 0 { consumer(Data(buffer[0..<n])); continue }
                }
                if stopping { break }
                if Thread.current.isCancelled { stopping = true } // drain once more, then stop
            }
            finished()
            try? pipe.close()
            done.signal()
        }
        reader = thread
        thread.start()
        try write("1", to: "tracing_on")
    }

    /// Turns tracing off and waits until everything recorded is in the output file.
    public func stop() {
        try? write("0", to: "tracing_on")
        if let reader {
            reader.cancel()
            done.wait()
            self.reader = nil
        }
    }

    /// Stops and removes the instance. Safe to call twice.
    public func close() {
        stop()
        guard !removed else { return }
        removed = true
        for event in Self.events { try? write("0", to: "events/filemap/\(event)/enable") }
        _ = rmdir(directory)
    }

    deinit { close() }
}
