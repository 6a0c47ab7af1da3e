import Foundation
import TerminalUI

/// Test hook: with `EROFS_TOP_TEST_TRAP_AFTER=SECONDS` in the environment, the UI hits a Swift
/// runtime trap (`fatalError`) once it has run that long, as a bug would. The end-to-end test of
/// the crash path (Tests/CLITests/EndToEnd/CrashEndToEndTests.swift) uses it: a correct program
/// has no input that makes it trap, and a signal sent with kill(1) is not a trap. Unset, the UI
/// runs on the plain system clock.
final class TestTrapClock: AppClock {
    static let variable = "EROFS_TOP_TEST_TRAP_AFTER"

    private let base = SystemClock()
    private let deadline: Double

    /// The clock the UI runs on: a trapping one when the hook is set, else the system clock.
    static func fromEnvironment() -> any AppClock {
        guard let text = ProcessInfo.processInfo.environment[variable], let seconds = Double(text) else { return SystemClock() }
        return TestTrapClock(after: seconds)
    }

    private init(after seconds: Double) {
        deadline = base.now + seconds
    }

    var now: Double {
        let t = base.now
        if t >= deadline { fatalError("\(Self.variable) test hook: trapping as a bug would") }
        return t
    }
}
