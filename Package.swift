// swift-tools-version:6.0
import PackageDescription

/// erofs-top: a terminal inspector for page cache shared across EROFS images.
///
/// Layers, bottom to top:
///   EROFS (reader core, with Decompression over the real C libraries)
///   PageCacheModel (pages, readahead, sharing policies) and Workload (trace formats)
///   Inspector (sessions of containers: wires images, policies and replays; view models)
///   TerminalUI (screen layer and panels) and the thin `erofs-top` CLI.
let package = Package(
    name: "erofs-top",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "erofs-top", targets: ["erofs-top"]),
        .library(name: "EROFS", targets: ["EROFS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        // C libraries, through thin system-library shims.
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CLZMA", path: "Sources/CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libdeflate decodes whole DEFLATE pclusters (much faster than zlib); zlib stays for prefixes and errors.
        .systemLibrary(name: "CLibdeflate", path: "Sources/CLibdeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),

        // Deterministic pseudo-random numbers for tests and benchmark inputs.
        .target(name: "DeterministicRandom", path: "Sources/DeterministicRandom", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "JSONOutput", path: "Sources/JSONOutput", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Decompression", dependencies: ["CLZ4", "CLZMA", "CZlib", "CLibdeflate", "CZstd"], path: "Sources/Decompression", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "EROFS", dependencies: ["Decompression", .product(name: "HeapModule", package: "swift-collections")], path: "Sources/EROFS"),
        .target(name: "PageCacheModel", dependencies: [
            .product(name: "Collections", package: "swift-collections"),
        ], path: "Sources/PageCacheModel", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Workload", dependencies: ["JSONOutput"], path: "Sources/Workload", exclude: ["NATIVE-FORMAT.md"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Inspector", dependencies: [
            "EROFS", "PageCacheModel", "Workload", "JSONOutput",
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Sources/Inspector"),
        .target(name: "Recorder", dependencies: ["EROFS", "Workload"], path: "Sources/Recorder", swiftSettings: [.swiftLanguageMode(.v6)]),
        // The live view's engine: the host's EROFS mounts, their residency, the kernel's events.
        .target(name: "Live", dependencies: ["EROFS", "Inspector", "Recorder", "Workload"], path: "Sources/Live"),
        .target(name: "TerminalUI", dependencies: ["CNcurses"], path: "Sources/TerminalUI"),
        // The Inspector session as the dashboard's data source (used by the UI and the ui bench).
        .target(name: "InspectorUI", dependencies: ["Inspector", "TerminalUI"], path: "Sources/InspectorUI"),
        .executableTarget(name: "erofs-top", dependencies: [
            "EROFS", "Inspector", "InspectorUI", "TerminalUI", "Recorder", "Live", "JSONOutput",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/CLI", exclude: ["Samples"]),
        // Fuzzing (scripts/fuzz.sh): the harness drives the reader and parsers; each target is a
        // libFuzzer entry point when built with -DFUZZING, a replay tool otherwise.
        .target(name: "FuzzHarness", dependencies: ["EROFS", "Workload"], path: "Sources/FuzzHarness"),
        .executableTarget(name: "fuzz-image", dependencies: ["FuzzHarness"], path: "Sources/Fuzz/fuzz-image"),
        .executableTarget(name: "fuzz-image-devices", dependencies: ["FuzzHarness"], path: "Sources/Fuzz/fuzz-image-devices"),
        .executableTarget(name: "fuzz-trace", dependencies: ["FuzzHarness"], path: "Sources/Fuzz/fuzz-trace"),
        .executableTarget(name: "erofs-top-bench", dependencies: ["EROFS", "Inspector", "PageCacheModel", "TerminalUI", "InspectorUI", "DeterministicRandom"], path: "Sources/Bench"),

        .testTarget(name: "DecompressionTests", dependencies: ["Decompression", "DeterministicRandom", "CLZ4", "CLZMA", "CZlib", "CZstd"], path: "Tests/DecompressionTests"),
        // Fixture indexes and manifests (Tests/Fixtures), shared by the reader and CLI tests.
        .target(name: "FixtureSupport", dependencies: ["EROFS", "Recorder", .product(name: "Crypto", package: "swift-crypto")], path: "Tests/FixtureSupport"),
        .testTarget(name: "EROFSTests", dependencies: ["EROFS", "DeterministicRandom", "FixtureSupport", "FuzzHarness"], path: "Tests/EROFSTests"),
        .testTarget(name: "PageCacheModelTests", dependencies: ["PageCacheModel", "DeterministicRandom"], path: "Tests/PageCacheModelTests"),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "JSONOutput", "DeterministicRandom", "FuzzHarness"], path: "Tests/WorkloadTests", exclude: ["Fixtures"]),
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "EROFS", "Workload", "Recorder", "JSONOutput", "DeterministicRandom"], path: "Tests/InspectorTests"),
        .testTarget(name: "LiveTests", dependencies: ["Live", "Inspector", "EROFS", "Recorder", "FixtureSupport"], path: "Tests/LiveTests"),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], path: "Tests/TerminalUITests"),
        .testTarget(name: "CLITests", dependencies: ["erofs-top", "EROFS", "FixtureSupport", "Recorder"], path: "Tests/CLITests"),
    ],
    swiftLanguageModes: [.v5]
)
