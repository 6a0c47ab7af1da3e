/// The app loop: read a key (with a timeout, so time-driven screens tick) →
/// handle it → tick → draw only if something changed → present (only changed
/// cells reach the device).
///
///     let terminal = try CursesTerminal()
///     let app = App(terminal: terminal, screen: MyScreen(), glyphs: .detect())
///     try app.run()        // returns after .quit or SIGINT/SIGTERM; terminal restored
///
/// In tests, drive it with a `GridTerminal`, a scripted key queue and a
/// `ManualClock`, one `step()` at a time:
///
///     let term = GridTerminal(rows: 24, cols: 80)
///     let clock = ManualClock()
///     term.onIdle = { clock.advance(milliseconds: $0) }
///     term.enqueue(.down, .char("q"))
///     let app = App(terminal: term, screen: s, clock: clock, shouldStop: { false })
///     try app.run()        // the queue's "q" ends it
///
/// When the terminal is smaller than `minimumSize`, the screen is not drawn:
/// a centred "Terminal too small: need 80x24, have WxH" is, until it grows.
/// Keys still reach the screen, so its quit key works. Ctrl-L repaints.
public final class App<Screen: AppScreen> {
    public private(set) var screen: Screen
    public let terminal: any Terminal
    public var glyphs: GlyphSet
    public var theme: Theme
    public let clock: any AppClock
    public var minimumSize: Size
    public var keyTimeoutMS: Int
    /// Polled every iteration; by default true once SIGINT/SIGTERM/SIGHUP
    /// arrived (see `StopSignals`).
    public var shouldStop: () -> Bool

    /// Frames drawn so far (draws happen only when something changed).
    public private(set) var drawCount = 0
    public private(set) var hasQuit = false
    private var started = false
    private var dirty = true

    public init(terminal: any Terminal, screen: Screen, glyphs: GlyphSet = .unicode,
                theme: Theme = .default, clock: any AppClock = SystemClock(),
                minimumSize: Size = Size(rows: 24, cols: 80), keyTimeoutMS: Int = 50,
                shouldStop: @escaping () -> Bool = { StopSignals.requested != nil }) {
        self.terminal = terminal
        self.screen = screen
        self.glyphs = glyphs
        self.theme = theme
        self.clock = clock
        self.minimumSize = minimumSize
        self.keyTimeoutMS = keyTimeoutMS
        self.shouldStop = shouldStop
    }

    /// True when the terminal is below `minimumSize`.
    public var isTooSmall: Bool { !terminal.size.fits(minimumSize) }

    /// The message shown while the terminal is too small.
    public var tooSmallMessage: String {
        "Terminal too small: need \(minimumSize), have \(terminal.size)"
    }

    /// Runs until the screen quits or a stop signal arrives, then restores the
    /// terminal. When the screen throws, the terminal is restored first and the
    /// error rethrown, so the caller prints it on the ordinary screen.
    public func run() throws {
        defer { terminal.restore() }
        while try step() {}
    }

    /// Runs at most `steps` iterations (tests); returns false once quit.
    @discardableResult
    public func run(steps: Int) throws -> Bool {
        for _ in 0..<steps {
            if try !step() { return false }
        }
        return !hasQuit
    }

    /// One iteration of the loop. Returns false once the app has quit. Rethrows
    /// what the screen throws (the app then counts as quit).
    @discardableResult
    public func step() throws -> Bool {
        guard !hasQuit else { return false }
        if !started {
            started = true
            screen.resize(to: terminal.size)
            renderIfNeeded()
        }
        if shouldStop() { hasQuit = true; return false }

        if let key = terminal.readKey(timeoutMS: keyTimeoutMS) {
            switch key {
            case .resize:
                screen.resize(to: terminal.size)
                terminal.invalidate()
                dirty = true
            case .ctrl("l"):
                terminal.invalidate()
                dirty = true
            default:
                switch try handleKey(key) {
                case .quit: hasQuit = true; return false
                case .handled: dirty = true
                case .ignored: break
                }
            }
        }
        if shouldStop() { hasQuit = true; return false }
        if try tickScreen() { dirty = true }
        renderIfNeeded()
        return true
    }

    private func handleKey(_ key: Key) throws -> Action {
        do { return try screen.handle(key: key) } catch { hasQuit = true; throw error }
    }

    private func tickScreen() throws -> Bool {
        do { return try screen.tick(now: clock.now) } catch { hasQuit = true; throw error }
    }

    /// Marks the screen for a redraw on the next step (e.g. after changing
    /// state from outside the loop).
    public func setNeedsDisplay() { dirty = true }

    /// Changes the screen's state from outside the loop, then redraws.
    public func updateScreen(_ body: (inout Screen) -> Void) {
        body(&screen)
        dirty = true
    }

    private func renderIfNeeded() {
        guard dirty else { return }
        dirty = false
        terminal.clear()
        let canvas = Canvas(terminal: terminal, glyphs: glyphs, theme: theme)
        if isTooSmall {
            let size = terminal.size
            let message = tooSmallMessage
            let col = max(0, (size.cols - message.count) / 2)
            canvas.put(row: size.rows / 2, col: col, message, style: theme.message)
        } else {
            screen.draw(into: canvas)
        }
        terminal.present()
        drawCount += 1
    }
}
