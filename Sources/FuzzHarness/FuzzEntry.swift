import EROFS
import Foundation

/// The bodies of the libFuzzer entry points, and a replay driver for builds without the fuzzer.
///
/// A fuzz target's `LLVMFuzzerTestOneInput` calls one of the `testOneInput` functions; an
/// unexpected (untyped) error stops the process with a message, which libFuzzer records as a
/// crash together with the input.
public enum FuzzEntry {
    nonisolated(unsafe) private static var scratch: ScratchFiles?
    private static let exercise = ImageExercise()

    private static func files() -> ScratchFiles {
        if let scratch { return scratch }
        let made = ScratchFiles()
        scratch = made
        return made
    }

    /// `fuzz-image`: the whole input is an image file. The superblock checksum is recomputed
    /// first (when the image claims one), so that mutations of the superblock get past it; the
    /// checksum test itself is covered by `fuzz-image-devices`, which leaves it alone.
    @discardableResult
    public static func testImage(_ input: UnsafeRawBufferPointer) -> String {
        var bytes = [UInt8](input)
        SuperblockChecksum.fix(&bytes)
        let path = files().write("image.erofs", bytes)
        return expectTyped { "\(try exercise.run(ImageSpec(path: path)))" }
    }

    /// `fuzz-image-devices`: a 4-byte little-endian image length, the image, then one extra
    /// device blob (given as `device=` as with mount).
    @discardableResult
    public static func testImageWithDevice(_ input: UnsafeRawBufferPointer) -> String {
        let (image, blob) = splitImageAndDevice(input)
        let scratch = files()
        let path = scratch.write("image.erofs", image)
        let blobPath = scratch.write("device.blob", blob)
        let given = expectTyped { "\(try exercise.run(ImageSpec(path: path, devices: [blobPath])))" }
        // The same image with blobs found by tag in the folder.
        let found = expectTyped { "\(try exercise.run(ImageSpec(path: path, blobDirectory: scratch.directory)))" }
        return "device given: \(given); found by tag: \(found)"
    }

    /// Splits a `fuzz-image-devices` input into image and blob bytes.
    public static func splitImageAndDevice(_ input: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        guard input.count >= 4 else { return (UnsafeRawBufferPointer(rebasing: input[0..<input.count]), UnsafeRawBufferPointer(rebasing: input[0..<0])) }
        let claimed = Int(input.loadUnaligned(as: UInt32.self).littleEndian)
        let split = 4 + min(claimed, input.count - 4)
        return (UnsafeRawBufferPointer(rebasing: input[4..<split]), UnsafeRawBufferPointer(rebasing: input[split..<input.count]))
    }

    /// Builds a `fuzz-image-devices` input from an image and its blob (seed corpora).
    public static func joinImageAndDevice(_ image: [UInt8], _ blob: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(image.count).littleEndian, Array.init) + image + blob
    }

    /// `fuzz-trace`: a selector byte and a trace (see `TraceExercise`).
    @discardableResult
    public static func testTrace(_ input: UnsafeRawBufferPointer) -> String {
        expectTyped { "\(try TraceExercise.run(fuzzInput: input))" }
    }

    private static func expectTyped(_ body: () throws -> String) -> String {
        do { return try body() } catch {
            fatalError("untyped error escaped the reader: \(type(of: error)): \(error)")
        }
    }

    /// Without libFuzzer: runs `body` over every file named in `arguments` (folders are
    /// expanded), so a crash input can be replayed in a debugger or a normal build.
    public static func replay(_ arguments: [String], _ body: (UnsafeRawBufferPointer) -> String) {
        var paths: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                paths += names.sorted().map { argument + "/" + $0 }
            } else {
                paths.append(argument)
            }
        }
        if paths.isEmpty { print("usage: \(CommandLine.arguments.first ?? "fuzz-target") INPUT|FOLDER...") }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                continue
            }
            let start = Date()
            let outcome = data.withUnsafeBytes { body($0) }
            print("\(path) (\(data.count) bytes, \(String(format: "%.3f", Date().timeIntervalSince(start))) s): \(outcome)")
        }
    }
}
