import ArgumentParser

/// Options of the terminal UI.
struct DisplayOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Monochrome UI.")
    var noColor = false

    @Flag(name: .customLong("ascii"), help: "ASCII-only drawing (automatic when the locale is not UTF-8).")
    var ascii = false

    @Option(name: .customLong("speed"), help: "Initial replay speed (multiple of real time).")
    var speed: Double = 1
}
