import EROFS
import Foundation
import Recorder
import XCTest

/// A kernel mount of a test image (`live` and `record` tests) made for one test, in a private mount namespace of the test's
/// thread (processes the test starts see it; the host never does), unmounted at the end.
public final class TestMount {
    public let namespace: PrivateMountNamespace
    public let mount: KernelMount
    public let directory: String
    public var mountPoint: String { mount.mountpoint }

    public init(image: String, devices: [String]? = nil, name: String, loop: Bool = false) throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root (mount, mincore of any file, ftrace); skipped") }
        directory = NSTemporaryDirectory() + "erofs-top-live-test-\(getpid())-\(name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        namespace = try PrivateMountNamespace()
        do {
            let blobs = try devices ?? Image(ImageSpec(path: image)).devices.dropFirst().map(\.path)
            mount = try KernelMount(image: image, devices: blobs, mountpoint: directory, loop: loop)
        } catch {
            namespace.leave()
            throw XCTSkip("cannot mount \(image) here: \(error)")
        }
    }

    public func close() {
        mount.unmount()
        namespace.leave()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Runs a tool and returns its standard output.
public func runProgram(_ path: String, _ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// Resident bytes of the files under `directory` as util-linux fincore counts them.
public func fincoreBytes(_ files: [String]) throws -> UInt64 {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/fincore") else { throw XCTSkip("fincore (util-linux) is not installed") }
    var total: UInt64 = 0
    for chunk in stride(from: 0, to: files.count, by: 200) {
        let text = try runProgram("/usr/bin/fincore", ["--bytes", "--noheadings", "--raw", "--output", "RES"] + Array(files[chunk..<min(files.count, chunk + 200)]))
        total += text.split(separator: "\n").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }.reduce(0, +)
    }
    return total
}

/// Reads a whole file with 128 KiB reads (as `cat` does).
@discardableResult
public func readWhole(_ path: String) throws -> Int {
    guard let h = FileHandle(forReadingAtPath: path) else { throw XCTSkip("cannot open \(path)") }
    defer { try? h.close() }
    var n = 0
    while let d = try h.read(upToCount: 1 << 17), !d.isEmpty { n += d.count }
    return n
}
