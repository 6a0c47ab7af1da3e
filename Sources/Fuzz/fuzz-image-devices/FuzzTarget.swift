import FuzzHarness

// Built with `-DFUZZING -sanitize=fuzzer` (scripts/fuzz.sh) this is a libFuzzer target;
// in a normal build it replays the inputs given on the command line.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntry.testImageWithDevice(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand over to libFuzzer.
@_cdecl("fuzz_image_devices_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzEntry.runLibFuzzer(argc, argv, fuzzTestOneInput)
}
#else
@main
enum Replay {
    static func main() {
        FuzzEntry.replay(Array(CommandLine.arguments.dropFirst()), FuzzEntry.testImageWithDevice)
    }
}
#endif
