import Foundation
import EROFS
import Inspector

/// The bundled scenario: three containers started one after another from the merged sample
/// images (base: Python 3.11; v1 and v2: the same base with requests 2.31 or 2.32 on top),
/// replaying the startups recorded from the kernel (Samples/record-sample-traces.sh).
enum SampleScenario {
    static let containers = [("base", "python-base"), ("v1", "requests-v1"), ("v2", "requests-v2")]

    /// Session options for the scenario, or nil when the samples are not there.
    static func configuration() -> SessionConfiguration? {
        guard let dir = SampleImages.directory else { return nil }
        var config = SessionConfiguration(images: containers.map { ImageSpec(path: dir + "/" + $0.1 + ".erofs") })
        config.containers = containers.enumerated().map { SessionContainer(name: $1.0, image: $0) }
        config.traces = containers.map { TraceInput(url: URL(fileURLWithPath: dir + "/traces/startup-\($0.0).ftrace"), container: $0.0) }
        config.fingerprints = .compute
        return config
    }
}
