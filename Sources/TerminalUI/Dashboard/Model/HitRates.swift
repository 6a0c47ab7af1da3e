/// Hit rates over replay time, per container and policy.
public struct HitRates: Hashable, Sendable {
    /// Replay seconds between two samples.
    public var sampleInterval: Double
    public var series: [Series]

    public init(sampleInterval: Double = 1, series: [Series] = []) {
        self.sampleInterval = sampleInterval
        self.series = series
    }

    /// The samples of one container under one policy.
    public struct Series: Hashable, Sendable {
        /// Index into `DashboardHeader.containers`.
        public var container: Int
        public var policy: String
        /// Hit rate (0...1) per sample interval, oldest first.
        public var samples: [Double]
        /// Cumulative hit rate so far (0...1, nan before the first access).
        public var overall: Double

        public init(container: Int, policy: String, samples: [Double], overall: Double) {
            self.container = container
            self.policy = policy
            self.samples = samples
            self.overall = overall
        }
    }
}
