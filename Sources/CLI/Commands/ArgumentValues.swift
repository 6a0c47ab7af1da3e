import ArgumentParser
import Inspector

// Enum options parsed by swift-argument-parser from their raw values; a wrong value is its
// usage error, listing the choices (exit 64).
extension TraceFileFormat: ExpressibleByArgument {}
extension FingerprintSource: ExpressibleByArgument {}
extension MmapTouch: ExpressibleByArgument {}
extension MmapFaultEstimate: ExpressibleByArgument {}
extension LayerConverter.Mode: ExpressibleByArgument {}
