import Foundation
import EROFS
import Inspector

/// The bundled seed scenario: three containers started one after another from the merged sample
/// images (base, v1 on top of base, v2 on top of base), replaying kernel-recorded startup traces.
enum SampleScenario {
    static let containers = [("base", "tensorflow-base"), ("v1", "tensorflow-v1"), ("v2", "tensorflow-v2")]

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
