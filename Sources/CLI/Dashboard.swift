import ArgumentParser
import Foundation
import Inspector

/// Opens the terminal UI on a session.
enum Dashboard {
    static func open(_ config: SessionConfiguration, designs: [SharingDesign], display: DisplayOptions) throws {
        FileHandle.standardError.write(Data("erofs-top: the terminal UI is not built yet; use `erofs-top report` or `erofs-top replay --batch`\n".utf8))
        throw ExitCode(2)
    }
}
