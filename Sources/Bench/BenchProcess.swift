import Foundation

/// A benchmark step that failed, with what went wrong.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs the external tools the benchmarks build inputs with (mkfs.erofs, fsck.erofs, erofs-top).
enum BenchProcess {
    /// Runs `command` and waits; throws when it exits non-zero.
    static func run(_ command: [String], discardOutput: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if discardOutput { process.standardOutput = FileHandle(forWritingAtPath: "/dev/null") }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(command.joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
    }
}
