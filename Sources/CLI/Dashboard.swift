import ArgumentParser
import Foundation
import Inspector
import InspectorUI
import TerminalUI

/// Opens the terminal UI on a session.
enum DashboardLauncher {
    static func open(_ config: SessionConfiguration, designs: [SharingDesign], display: DisplayOptions, defaultSpeed: Double = 1) throws {
        // Fail on a missing terminal before the (possibly long) session set-up.
        let options = Dashboard.Options(noColor: display.noColor, ascii: display.ascii)
        let terminal: CursesTerminal
        do {
            terminal = try Dashboard.openTerminal(options: options)
        } catch let error as TerminalError {
            FileHandle.standardError.write(Data((Dashboard.message(for: error) + "\n").utf8))
            throw ExitCode(2)
        }
        let session: Session
        do {
            session = try Session(config, designs: designs)
        } catch {
            terminal.restore()
            fail(error)
        }
        let source = SessionDashboard(session: session, speed: display.speed ?? defaultSpeed)
        let exit: Dashboard.Exit
        do {
            exit = try Dashboard.run(dataSource: source, terminal: terminal, options: options, clock: TestTrapClock.fromEnvironment())
        } catch {
            // A ReplayFailure (an image changed or could not be read): Dashboard.run restored the
            // terminal before rethrowing, so the message lands on the ordinary screen; exit 1.
            terminal.restore()
            fail(error)
        }
        if case .signal(let s) = exit { Foundation.exit(128 + s) }
    }
}
