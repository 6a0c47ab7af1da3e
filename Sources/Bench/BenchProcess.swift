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

/// A small deterministic generator for benchmark inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
