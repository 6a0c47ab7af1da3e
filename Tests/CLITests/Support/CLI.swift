import FixtureSupport
import Foundation
import XCTest

/// Runs the built `erofs-top` executable, as a user would.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The `erofs-top` binary: next to the test bundle (both are build products of
    /// `swift build --build-tests`), or in the checkout's `.build/debug`.
    static var binary: String? {
        var candidates: [String] = []
        let bundle = Bundle(for: Marker.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("erofs-top").path)
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("erofs-top").path)
        candidates.append(FixturePaths.repositoryRoot + "/.build/debug/erofs-top")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private final class Marker {}

    /// Runs `erofs-top ARGS` and collects its exit status and output.
    static func run(_ arguments: [String], cwd: String? = nil) throws -> Result {
        guard let binary else {
            throw XCTSkip("the erofs-top binary was not found next to the tests; run `swift build --build-tests` first")
        }
        return try runTool(binary, arguments, cwd: cwd)
    }

    /// Runs any executable and collects its exit status and output (stdout read concurrently,
    /// so large outputs cannot block the child). `environment` is added to this process's.
    static func runTool(_ executable: String, _ arguments: [String], cwd: String? = nil,
                        environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorData = StderrBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: data, stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// Standard error as read on another thread.
    private final class StderrBox: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.withLock { data = d } }
        func get() -> Data { lock.withLock { data } }
    }

    /// Runs and parses standard output as JSON, failing the test on a non-zero exit.
    static func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let result = try run(arguments)
        guard result.status == 0 else {
            XCTFail("erofs-top \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)", file: file, line: line)
            throw XCTSkip("command failed")
        }
        return try JSONSerialization.jsonObject(with: result.stdout)
    }

    /// The image argument for a fixture: `PATH[,device=BLOB]...` unless its blobs are found by tag.
    static func imageArgument(_ fixture: FixtureImage) -> [String] {
        if fixture.flat { return [fixture.path, "--blob-dir", FixtureIndex.emptyDirectory] }
        if fixture.resolvesByTag { return [fixture.path] }
        return [([fixture.path] + fixture.devicePaths.map { "device=" + $0 }).joined(separator: ",")]
    }

    /// erofs-utils 1.9 through ../shared/tools/erofs-utils-sid, when present.
    static var sidTool: String? {
        let path = FixturePaths.repositoryRoot + "/../shared/tools/erofs-utils-sid"
        guard FileManager.default.isExecutableFile(atPath: path),
              FileManager.default.fileExists(atPath: "/var/cache/erofs-utils-sid/usr/bin/dump.erofs") || getuid() == 0 else { return nil }
        return path
    }

    /// A fresh temporary folder.
    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "erofs-top-cli-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Fails the test with up to 40 differences, labelled.
    static func assertNone(_ differences: [String], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        guard !differences.isEmpty else { return }
        XCTFail("\(label): \(differences.count) difference(s):\n  " + differences.prefix(40).joined(separator: "\n  "), file: file, line: line)
    }
}
