/// The entry point the CLI calls to open the dashboard.
///
///     do {
///         let exit = try Dashboard.run(dataSource: adapter, options: .init(noColor: noColor, ascii: ascii))
///         if case .signal(let s) = exit { Foundation.exit(128 + s) }
///     } catch let error as TerminalError {
///         FileHandle.standardError.write(Data((Dashboard.message(for: error) + "\n").utf8))
///         Foundation.exit(2)
///     } catch {
///         // The data source gave up (e.g. an image could not be read); the
///         // terminal is already restored, so the message lands on the shell.
///         FileHandle.standardError.write(Data("erofs-top: \(error)\n".utf8))
///         Foundation.exit(1)
///     }
///
/// The terminal is given back on every path: when the loop ends (`q`, F10),
/// when the data source throws (before the error reaches the caller), on
/// SIGINT/SIGTERM/SIGHUP (the handler sets a flag, the loop leaves and
/// restores), at `exit()` (an atexit handler) and on a crash (see
/// `CursesTerminal`).
public enum Dashboard {
    /// How the dashboard looks and reads input.
    public struct Options: Hashable, Sendable {
        /// `--no-color`: colours become attributes (bold, reverse, dim).
        public var noColor: Bool
        /// `--ascii`: plain ASCII glyphs even in a UTF-8 locale (they are
        /// also used automatically when the locale is not UTF-8).
        public var ascii: Bool
        /// Report mouse clicks (focus and select).
        public var mouse: Bool
        /// How long the loop waits for a key before ticking the replay.
        public var keyTimeoutMS: Int

        public init(noColor: Bool = false, ascii: Bool = false, mouse: Bool = true, keyTimeoutMS: Int = 50) {
            self.noColor = noColor
            self.ascii = ascii
            self.mouse = mouse
            self.keyTimeoutMS = keyTimeoutMS
        }
    }

    /// Why the dashboard returned.
    public enum Exit: Hashable, Sendable {
        /// The user quit.
        case quit
        /// SIGINT, SIGTERM or SIGHUP arrived (the caller may exit 128 + signal).
        case signal(Int32)
    }

    /// The smallest terminal the panels are drawn in; smaller shows a message
    /// until the terminal grows.
    public static let minimumSize = Size(rows: 24, cols: 80)

    /// Opens the ncurses terminal for `options`. Throws `TerminalError` when
    /// TERM is unset or unknown, or stdin/stdout is not a terminal.
    public static func openTerminal(options: Options = Options()) throws -> CursesTerminal {
        try CursesTerminal(options: CursesTerminal.Options(monochrome: options.noColor, mouse: options.mouse))
    }

    /// Runs the dashboard until the user quits or a stop signal arrives, then
    /// restores the terminal. With `terminal` nil, opens ncurses (throwing
    /// `TerminalError` as `openTerminal` does). Rethrows what the data source
    /// throws, after restoring the terminal.
    @discardableResult
    public static func run(dataSource: any DashboardDataSource, terminal: (any Terminal)? = nil,
                           options: Options = Options(), clock: any AppClock = SystemClock()) throws -> Exit {
        let term: any Terminal = try terminal ?? openTerminal(options: options)
        let app = makeApp(dataSource: dataSource, terminal: term, options: options, clock: clock)
        try app.run()
        if let signal = StopSignals.requested { return .signal(signal) }
        return .quit
    }

    /// The app loop over a dashboard screen, without running it (tests step
    /// it; `run` runs it).
    public static func makeApp(dataSource: any DashboardDataSource, terminal: any Terminal,
                               options: Options = Options(), clock: any AppClock = SystemClock(),
                               shouldStop: @escaping () -> Bool = { StopSignals.requested != nil }) -> App<DashboardScreen> {
        let glyphs = GlyphSet.detect(forceASCII: options.ascii)
        let screen = DashboardScreen(source: dataSource, size: terminal.size)
        return App(terminal: terminal, screen: screen, glyphs: glyphs, clock: clock,
                   minimumSize: minimumSize, keyTimeoutMS: options.keyTimeoutMS, shouldStop: shouldStop)
    }

    /// The message for a terminal that cannot be opened, pointing at the
    /// text commands. The caller prints it and exits with status 2.
    public static func message(for error: TerminalError) -> String {
        "erofs-top: \(error).\n"
            + "Set TERM to your terminal type (e.g. TERM=xterm-256color), or use the text commands:\n"
            + "  erofs-top report IMAGE... [--trace FILE]...        (page cache per policy, as a table)\n"
            + "  erofs-top replay --batch IMAGE... [--trace FILE]... (replay without the terminal UI)"
    }
}
