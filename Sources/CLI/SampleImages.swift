import Foundation

/// The bundled sample images (Samples/README.md): Python 3.11 alone, and with requests 2.31 or 2.32.
enum SampleImages {
    static let imageNames = ["python-base.erofs", "requests-v1.erofs", "requests-v2.erofs"]

    /// Folder holding the samples: next to the sources in a checkout, or `EROFS_TOP_SAMPLES`.
    static var directory: String? {
        if let env = ProcessInfo.processInfo.environment["EROFS_TOP_SAMPLES"] { return env }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples").path
        return FileManager.default.fileExists(atPath: here) ? here : nil
    }
}
