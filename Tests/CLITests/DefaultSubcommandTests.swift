import FixtureSupport
import XCTest

/// `ui` stays the default subcommand although the root only declares it when the first
/// argument names no other subcommand (a start-up saving): options without a subcommand still
/// go to `ui`, the root's help still marks it, and other subcommands parse as before.
final class DefaultSubcommandTests: XCTestCase {
    func testOptionsWithoutASubcommandGoToTheUI() throws {
        let result = try CLI.run(["--policy", "bogus"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--policy: unknown 'bogus'"), result.stderr)
    }

    func testRootHelpMarksTheDefault() throws {
        for arguments in [["--help"], ["help"]] {
            let result = try CLI.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.text.contains("ui, demo (default)"), result.text)
            XCTAssertTrue(result.text.contains("ls"), result.text)
        }
    }

    func testNamedSubcommandsParseAsBefore() throws {
        let image = FixturePaths.images + "/plain.erofs"
        let help = try CLI.run(["ls", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.text.contains("USAGE: erofs-top ls"), help.text)
        XCTAssertEqual(try CLI.run(["help", "ls"]).text, help.text)
        let stat = try CLI.run(["stat", image, "/"])
        XCTAssertEqual(stat.status, 0, stat.stderr)
        XCTAssertTrue(stat.text.contains("Path: /"), stat.text)
        let bad = try CLI.run(["ls", "--bogus", image])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("Unknown option '--bogus'"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("erofs-top ls"), bad.stderr)
    }
}
