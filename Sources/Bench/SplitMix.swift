import DeterministicRandom

/// The benchmarks' generator: the shared SplitMix64.
typealias SplitMix = SplitMix64
