#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Frame-time measurements of the dashboard, for the bench target.
///
///     let t = try DashboardBenchmark.measureFrames()
///     print(t)   // "200x60, 3 images x 100000 files: 300 frames, mean 1.9 ms, p95 2.4 ms, max 3.0 ms; idle 0.002 ms"
public enum DashboardBenchmark {
    /// Times of one run, in milliseconds.
    public struct FrameTimings: Sendable, CustomStringConvertible {
        public var size: Size
        public var images: Int
        public var filesPerImage: Int
        /// One entry per changed frame: refresh from the source, draw, present.
        public var frames: [Double]
        /// Mean of loop iterations where nothing changed (no draw expected).
        public var idleMean: Double
        /// Frames drawn during the idle iterations (0 when nothing is redrawn).
        public var idleDraws: Int

        public var mean: Double { frames.isEmpty ? 0 : frames.reduce(0, +) / Double(frames.count) }
        public func percentile(_ p: Double) -> Double {
            guard !frames.isEmpty else { return 0 }
            let sorted = frames.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }
        public var max: Double { frames.max() ?? 0 }

        public var description: String {
            func ms(_ v: Double) -> String {
                let hundredths = Int((v * 100).rounded())
                return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) ms"
            }
            return "\(size), \(images) images x \(filesPerImage) files: \(frames.count) frames, mean \(ms(mean)), "
                + "p50 \(ms(percentile(0.5))), p95 \(ms(percentile(0.95))), max \(ms(max)); "
                + "idle iteration \(ms(idleMean)), \(idleDraws) idle draws"
        }
    }

    /// Builds and draws `frames` frames of the dashboard on an in-memory
    /// terminal while a synthetic replay advances between frames (the
    /// replay's own work is not timed). The Files panel shows a directory of
    /// 1 000 files with a file selected, so every panel has content. Each
    /// frame is one app-loop iteration: tick, refresh what changed, draw,
    /// present the changed cells.
    public static func measureFrames(images: Int = 3, filesPerImage: Int = 100_000,
                                     size: Size = Size(rows: 60, cols: 200), frames: Int = 300,
                                     warmup: Int = 20) throws -> FrameTimings {
        let source = SyntheticDashboardSource(images: images, filesPerImage: filesPerImage)
        source.advance(files: 5_000)
        return try measureFrames(source: source, images: images, filesPerImage: filesPerImage, size: size,
                                 frames: frames, warmup: warmup) { source.advance() }
    }

    /// The same frames over any source (e.g. the real session's adapter): `advance` moves the
    /// replay on between frames and is not timed; the keys open the first image's first
    /// directory and select its third entry.
    public static func measureFrames(source: any DashboardDataSource, images: Int, filesPerImage: Int,
                                     size: Size = Size(rows: 60, cols: 200), frames: Int = 300, warmup: Int = 20,
                                     advance: () throws -> Void) throws -> FrameTimings {
        let terminal = GridTerminal(rows: size.rows, cols: size.cols)
        let clock = ManualClock()
        terminal.onIdle = { clock.advance(milliseconds: $0) }
        let app = App(terminal: terminal, screen: DashboardScreen(source: source, size: size), glyphs: .unicode,
                      clock: clock, minimumSize: Dashboard.minimumSize, shouldStop: { false })
        try app.step()
        for key in [Key.enter, .enter, .down, .down] {  // first image, first directory, third file
            terminal.enqueue(key)
            try app.step()
        }
        var times: [Double] = []
        for i in 0..<(warmup + frames) {
            try advance()
            terminal.enqueueTimeout()
            let start = now()
            try app.step()
            let elapsed = (now() - start) * 1000
            if i >= warmup { times.append(elapsed) }
        }
        let drawsBefore = app.drawCount
        var idle = 0.0
        let idleRuns = 100
        for _ in 0..<idleRuns {
            terminal.enqueueTimeout()
            let start = now()
            try app.step()
            idle += (now() - start) * 1000
        }
        return FrameTimings(size: size, images: images, filesPerImage: filesPerImage, frames: times,
                            idleMean: idle / Double(idleRuns), idleDraws: app.drawCount - drawsBefore)
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
