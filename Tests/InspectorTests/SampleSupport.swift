import EROFS
import Foundation
import XCTest
@testable import Inspector

/// The bundled sample images (Sources/CLI/Samples), made by mkfs.erofs 1.9 with make-samples.sh.
enum Samples {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/CLI/Samples").standardizedFileURL
    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
    static func image(_ name: String) throws -> Image { try Image(path: url(name).path) }
    static func catalog(_ name: String) throws -> ImageCatalog { try ImageCatalog(image: image(name)) }

    /// The merged-view manifest of a sample image: path → entry (type, size, sha256, ...).
    static func manifest(_ name: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifests/\(name).json"))
        let json = try JSONSerialization.jsonObject(with: data)
        return (json as? [String: Any])?["entries"] as? [String: [String: Any]] ?? [:]
    }
}
