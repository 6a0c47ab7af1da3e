import Foundation
import XCTest

/// Runs external tools for tests: mkfs.erofs, fsck.erofs, mount.
enum Shell {
    struct Result { var status: Int32; var output: String }

    @discardableResult
    static func run(_ command: String, _ arguments: [String], cwd: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.hasPrefix("/") ? command : "/usr/bin/env")
        process.arguments = command.hasPrefix("/") ? arguments : [command] + arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs and fails the test when the tool exits non-zero.
    @discardableResult
    static func check(_ command: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(command, arguments)
        guard result.status == 0 else {
            XCTFail("\(command) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.output)", file: file, line: line)
            throw XCTSkip("command failed")
        }
        return result.output
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/sbin:/sbin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Debian's erofs-utils 1.5 mkfs.erofs, or a skip.
    static func mkfs15() throws -> String {
        guard let mkfs = which("mkfs.erofs") else {
            throw XCTSkip("mkfs.erofs (erofs-utils) is not installed; run scripts/test, which installs it")
        }
        return mkfs
    }

    /// erofs-utils 1.9 through ../shared/tools/erofs-utils-sid, or nil.
    static var sidTool: String? {
        let path = Fixtures.repositoryRoot + "/../shared/tools/erofs-utils-sid"
        guard FileManager.default.isExecutableFile(atPath: path),
              FileManager.default.fileExists(atPath: "/var/cache/erofs-utils-sid/usr/bin/mkfs.erofs") || getuid() == 0 else { return nil }
        return path
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "erofs-top-tests-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Paths of committed fixtures.
enum Fixtures {
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let directory = repositoryRoot + "/Tests/Fixtures"
    static let images = directory + "/images"
}

// sys/xattr.h is not part of Glibc's Swift module.
@_silgen_name("setxattr") func setxattr(_ path: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>, _ value: UnsafeRawPointer, _ size: Int, _ flags: Int32) -> Int32
@_silgen_name("llistxattr") func llistxattr(_ path: UnsafePointer<CChar>, _ list: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int
@_silgen_name("lgetxattr") func lgetxattr(_ path: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>, _ value: UnsafeMutableRawPointer?, _ size: Int) -> Int
