import XCTest
@testable import TerminalUI

/// A dashboard app over a fake source on an in-memory terminal, with a manual
/// clock and Unicode glyphs (independent of the test's locale).
struct DashboardHarness {
    let source: FakeDashboardSource
    let terminal: GridTerminal
    let clock = ManualClock()
    let app: App<DashboardScreen>

    init(rows: Int = 40, cols: Int = 120, glyphs: GlyphSet = .unicode, colorMode: ColorMode = .color,
         source: FakeDashboardSource = FakeDashboardSource()) {
        self.source = source
        terminal = GridTerminal(rows: rows, cols: cols, colorMode: colorMode)
        let clock = self.clock
        terminal.onIdle = { clock.advance(milliseconds: $0) }
        app = App(terminal: terminal, screen: DashboardScreen(source: source, size: terminal.size), glyphs: glyphs,
                  clock: clock, minimumSize: Dashboard.minimumSize, shouldStop: { false })
        step()
    }

    /// One loop iteration; the fake source never throws, so an error fails the test.
    func step(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try app.step(), file: file, line: line)
    }

    var screen: DashboardScreen { app.screen }

    /// Sends keys, one loop iteration each.
    func press(_ keys: Key...) {
        for key in keys {
            terminal.enqueue(key)
            step()
        }
    }

    /// Types characters, one key each.
    func type(_ text: String) {
        for c in text { press(.char(c)) }
    }

    /// Runs idle iterations (reads that time out).
    func idle(_ count: Int = 1) {
        for _ in 0..<count {
            terminal.enqueueTimeout()
            step()
        }
    }

    var text: String { terminal.text() }
}
