import ArgumentParser

/// Options of the terminal UI.
struct DisplayOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Monochrome UI.")
    var noColor = false

    @Flag(name: .customLong("ascii"), help: "ASCII-only drawing (automatic when the locale is not UTF-8).")
    var ascii = false

    @Option(name: .customLong("speed"), help: "Initial replay speed, a multiple of trace time (default 1; 0.002 for the bundled scenario, whose startups last milliseconds).")
    var speed: Double?
}
