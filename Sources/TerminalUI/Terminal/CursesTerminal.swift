import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ncurses backend. The only file that calls curses.
///
/// Opens the terminal with `newterm(NULL, stdout, stdin)` rather than
/// `initscr()`, which would `exit(1)` on an unknown TERM: here that is a typed
/// error the CLI can report (and exit 2, or fall back to batch output).
///
/// The terminal is always given back: `restore()` (idempotent) is called by
/// `deinit`, by an `atexit` handler, and by the app loop when it ends (a quit
/// key, a thrown error, or SIGINT, SIGTERM or SIGHUP setting the stop flag, see
/// `StopSignals`). A crash (a Swift trap, SIGSEGV, abort, SIGQUIT) resets the
/// tty modes and leaves the alternate screen from a signal handler, prints a
/// one-line note, then lets the Swift backtracer report and the signal end the
/// process (see the shim's crash.h).
///
/// While the terminal is open, standard error is held in a temporary file and
/// written out when it is given back (see the shim's held_stderr.h): a message
/// written meanwhile, such as the runtime's "Fatal error: ..." before a trap,
/// appears after the UI instead of over it.
public final class CursesTerminal: Terminal {
    public struct Options: Sendable {
        /// Map colours to attributes even when the terminal has colours.
        public var monochrome = false
        /// Report clicks and wheel events as `.mouse` keys.
        public var mouse = true
        /// How long curses waits after Esc for the rest of a sequence.
        public var escDelayMS = 25
        /// The terminal type; nil reads TERM (as `newterm(NULL, …)` does).
        public var termName: String? = nil
        /// Fail with `.notATerminal` unless stdin and stdout are terminals.
        public var requireTTY = true
        /// Names the program in the note printed after a crash.
        public var programName: String

        public init(monochrome: Bool = false, mouse: Bool = true, escDelayMS: Int = 25,
                    termName: String? = nil, requireTTY: Bool = true,
                    programName: String = CursesTerminal.defaultProgramName) {
            self.monochrome = monochrome
            self.mouse = mouse
            self.escDelayMS = escDelayMS
            self.termName = termName
            self.requireTTY = requireTTY
            self.programName = programName
        }
    }

    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    private var buffer: ScreenBuffer
    private var pairs: [PairKey: Int16] = [:]
    private let maxPairs: Int
    private let defaultColorsAllowed: Bool
    public private(set) var lastPresentWrites = 0

    /// The terminal type in use, e.g. "xterm-256color".
    public let termName: String

    public init(options: Options = Options()) throws {
        TerminalLocale.activate()
        let name = options.termName ?? CursesTerminal.environmentTERM()
        guard let name, !name.isEmpty else { throw TerminalError.unsupportedTerminal(nil) }
        if options.requireTTY, isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            throw TerminalError.notATerminal
        }
        _ = erofs_crash_save_tty()
        guard let scr = newterm(options.termName, erofs_stdout(), erofs_stdin()) else {
            throw TerminalError.unsupportedTerminal(name)
        }
        set_term(scr)
        screen = scr
        termName = name
        window = erofs_stdscr()

        cbreak()
        noecho()
        keypad(window, true)
        // Home and End as tmux, screen and the VT/xterm modes send them, whatever
        // the terminfo entry says (TERM=xterm-256color inside tmux lists only
        // ESC O H / ESC O F): without these, End would arrive as Esc, `[`, `4`, `~`.
        for (sequence, code) in [("\u{1b}[1~", KEY_HOME), ("\u{1b}[4~", KEY_END), ("\u{1b}[H", KEY_HOME),
                                 ("\u{1b}[F", KEY_END), ("\u{1b}OH", KEY_HOME), ("\u{1b}OF", KEY_END),
                                 ("\u{1b}[7~", KEY_HOME), ("\u{1b}[8~", KEY_END)] {
            if key_defined(sequence) == 0 { define_key(sequence, code) }
        }
        leaveok(window, true)
        curs_set(0)
        set_escdelay(Int32(options.escDelayMS))

        var mode = ColorMode.monochrome
        var defaults = false
        var pairLimit = 0
        if !options.monochrome, has_colors() {
            start_color()
            defaults = use_default_colors() == OK
            pairLimit = Int(erofs_color_pairs())
            mode = pairLimit > 1 ? .color : .monochrome
        }
        colorModeValue = mode
        defaultColorsAllowed = defaults
        maxPairs = pairLimit

        if options.mouse {
            mousemask(erofs_mouse_mask_wanted(), nil)
            mouseinterval(0)
        }

        buffer = ScreenBuffer(size: CursesTerminal.windowSize(window), colorMode: mode)
        CursesTerminal.active = self
        CursesTerminal.installAtExitOnce()
        StopSignals.install()
        _ = erofs_stderr_hold()
        erofs_crash_arm(options.mouse ? 1 : 0, options.programName)
    }

    deinit { restore() }

    private let colorModeValue: ColorMode
    public var colorMode: ColorMode { colorModeValue }
    public var size: Size { buffer.size }

    public func put(row: Int, col: Int, _ text: String, style: Style) {
        buffer.put(row: row, col: col, text, style: style)
    }

    public func fill(_ rect: Rect, char: Character, style: Style) {
        buffer.fill(rect, char: char, style: style)
    }

    public func clear() { buffer.clear() }

    public func invalidate() {
        buffer.invalidate()
        if screen != nil { clearok(erofs_curscr(), true) }
    }

    public func present() {
        guard screen != nil else { return }
        let runs = buffer.commit()
        lastPresentWrites = runs.reduce(0) { $0 + $1.count }
        guard !runs.isEmpty else { return }
        for run in runs {
            let (attrs, pair) = cursesStyle(run.style)
            _ = erofs_set_style(window, attrs, pair)
            _ = mvwaddstr(window, Int32(run.row), Int32(run.col), run.text)
        }
        _ = erofs_set_style(window, erofs_attr_normal(), 0)
        wnoutrefresh(window)
        doupdate()
    }

    public func readKey(timeoutMS: Int) -> Key? {
        guard screen != nil else { return nil }
        wtimeout(window, Int32(timeoutMS))
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        switch status {
        case KEY_CODE_YES:
            let code = Int32(bitPattern: value)
            if code == KEY_MOUSE { return mouseKey() }
            if code == KEY_RESIZE { buffer.resize(CursesTerminal.windowSize(window)) }
            return KeyDecoder.decode(functionKey: code)
        case OK:
            return KeyDecoder.decode(character: value)
        default:
            return nil
        }
    }

    public func restore() {
        guard let scr = screen else { return }
        screen = nil
        erofs_crash_disarm()
        endwin()
        delscreen(scr)
        erofs_stderr_give_back()
        if CursesTerminal.active === self { CursesTerminal.active = nil }
    }

    // MARK: private

    private func mouseKey() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let kind: MouseEvent.Kind
        if erofs_mouse_is_wheel_up(event.bstate) != 0 { kind = .wheelUp }
        else if erofs_mouse_is_wheel_down(event.bstate) != 0 { kind = .wheelDown }
        else if erofs_mouse_is_click(event.bstate) != 0 { kind = .click }
        else { return nil }
        return .mouse(MouseEvent(kind, row: Int(event.y), col: Int(event.x)))
    }

    private struct PairKey: Hashable { var fg: Color; var bg: Color }

    private func cursesStyle(_ style: Style) -> (attr_t, Int16) {
        var attrs = erofs_attr_normal()
        if style.attributes.contains(.bold) { attrs |= erofs_attr_bold() }
        if style.attributes.contains(.reverse) { attrs |= erofs_attr_reverse() }
        if style.attributes.contains(.dim) { attrs |= erofs_attr_dim() }
        if style.attributes.contains(.underline) { attrs |= erofs_attr_underline() }
        return (attrs, pair(fg: style.fg, bg: style.bg))
    }

    /// Colour pairs are allocated on first use; when the terminal runs out,
    /// the default pair is used.
    private func pair(fg: Color, bg: Color) -> Int16 {
        guard colorModeValue == .color, fg != .default || bg != .default else { return 0 }
        let key = PairKey(fg: fg, bg: bg)
        if let p = pairs[key] { return p }
        let next = pairs.count + 1
        guard next < maxPairs, next <= Int(Int16.max) else { return 0 }
        let f = fg == .default && !defaultColorsAllowed ? Int16(COLOR_WHITE) : Int16(fg.rawValue)
        let b = bg == .default && !defaultColorsAllowed ? Int16(COLOR_BLACK) : Int16(bg.rawValue)
        init_pair(Int16(next), f, b)
        pairs[key] = Int16(next)
        return Int16(next)
    }

    private static func windowSize(_ w: UnsafeMutablePointer<WINDOW>) -> Size {
        Size(rows: Int(erofs_getmaxy(w)), cols: Int(erofs_getmaxx(w)))
    }

    /// The last component of the program's path (argv[0]).
    public static var defaultProgramName: String {
        CommandLine.arguments.first.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "program"
    }

    static func environmentTERM() -> String? {
        getenv("TERM").map { String(cString: $0) }
    }

    // MARK: emergency restore

    nonisolated(unsafe) private static weak var active: CursesTerminal?
    nonisolated(unsafe) private static var atExitInstalled = false

    private static func installAtExitOnce() {
        guard !atExitInstalled else { return }
        atExitInstalled = true
        atexit { CursesTerminal.restoreActive() }
    }

    /// Restores whichever curses terminal is open, if any. Safe to call from
    /// exit paths; not async-signal-safe (signals only set a flag).
    public static func restoreActive() {
        active?.restore()
    }
}

/// SIGINT/SIGTERM/SIGHUP handling for the UI: the handler only sets a flag,
/// the app loop sees it, leaves, and restores the terminal. A second signal
/// before the loop reacts gets the default action.
public enum StopSignals {
    public static func install() { erofs_install_stop_handlers() }

    /// The signal number that asked the program to stop, or nil.
    public static var requested: Int32? {
        let s = erofs_stop_requested()
        return s == 0 ? nil : s
    }

    public static func reset() { erofs_reset_stop_flag() }
}
