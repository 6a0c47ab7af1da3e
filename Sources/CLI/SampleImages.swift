import Foundation

/// The bundled sample images of the seed scenario (a base layer and two application layers).
enum SampleImages {
    static let imageNames = ["tensorflow-base.erofs", "tensorflow-v1.erofs", "tensorflow-v2.erofs"]

    /// Folder holding the samples: next to the sources in a checkout, or `EROFS_TOP_SAMPLES`.
    static var directory: String? {
        if let env = ProcessInfo.processInfo.environment["EROFS_TOP_SAMPLES"] { return env }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples").path
        return FileManager.default.fileExists(atPath: here) ? here : nil
    }
}
