/// A small, fast, deterministic random number generator (SplitMix64): the same seed gives the
/// same sequence on every machine, which is what `--seed` promises.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// A generator for one named stream of a seed (so streams don't share numbers).
    package init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in stream.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        state = seed ^ hash
        _ = next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
