import Foundation
import XCTest
@testable import TerminalUI

/// Golden screen files under `Tests/TerminalUITests/Snapshots/NAME.txt`.
///
/// Normal runs compare and fail with a line diff on mismatch (or when the file
/// is missing). With `EROFS_TOP_RECORD_SNAPSHOTS=1` the files are (re)written
/// instead and the assertion passes; review the diff in git.
enum Snapshots {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    static var isRecording: Bool {
        ProcessInfo.processInfo.environment["EROFS_TOP_RECORD_SNAPSHOTS"] == "1"
    }

    static func url(_ name: String) -> URL { directory.appendingPathComponent("\(name).txt") }

    /// Line diff: only the differing lines, with their 1-based numbers.
    static func diff(expected: String, actual: String) -> String {
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? e[i] : nil, al = i < a.count ? a[i] : nil
            if el != al {
                out.append(String(format: "%3d -%@", i + 1, el.map { "|\($0)|" } ?? "(none)"))
                out.append(String(format: "%3d +%@", i + 1, al.map { "|\($0)|" } ?? "(none)"))
            }
        }
        return out.joined(separator: "\n")
    }
}

func assertSnapshot(_ actual: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = Snapshots.url(name)
    let content = actual + "\n"
    if Snapshots.isRecording {
        do {
            try FileManager.default.createDirectory(at: Snapshots.directory, withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            XCTFail("could not record snapshot \(name): \(error)", file: file, line: line)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("missing snapshot \(url.path); run with EROFS_TOP_RECORD_SNAPSHOTS=1 to record it\n\(actual)",
                file: file, line: line)
        return
    }
    if expected != content {
        XCTFail("snapshot \(name) differs (- expected, + actual):\n"
                + Snapshots.diff(expected: expected, actual: content)
                + "\nre-record with EROFS_TOP_RECORD_SNAPSHOTS=1 if the change is intended",
                file: file, line: line)
    }
}

/// Draws into a fresh grid terminal and presents.
func render(rows: Int, cols: Int, glyphs: GlyphSet = .unicode, mode: ColorMode = .color,
            _ draw: (Canvas) -> Void) -> GridTerminal {
    let term = GridTerminal(rows: rows, cols: cols, colorMode: mode)
    draw(Canvas(terminal: term, glyphs: glyphs))
    term.present()
    return term
}
