/// The faults the embedded gallery injects, to test clients against a server that misbehaves
/// the way real ones do. Rates are in [0, 1]; every decision is a function of the seed, the
/// file and the attempt, so a run is repeatable and a test can predict it.
package struct FaultOptions: Sendable, Hashable, Codable {
    /// 500 Internal Server Error (per attempt).
    package var failRate: Double = 0
    /// The connection closes mid-body (per attempt).
    package var truncateRate: Double = 0
    /// The body stops arriving mid-way (per attempt).
    package var stallRate: Double = 0
    /// An HTML page served as `image/jpeg` (per file: it never gets better).
    package var wrongTypeRate: Double = 0
    /// A redirect to `removed.png`, as Imgur does for deleted images (per file).
    package var removedRate: Double = 0
    /// The first half of the file, served as if it were all of it (a matching `Content-Length`;
    /// per file).
    package var cutImageRate: Double = 0
    /// A few hundred bytes of PNG declaring 50,000 × 50,000 pixels (per file).
    package var bombRate: Double = 0
    /// Requests per second over the whole server before 429s (`nil`: no limit).
    package var rateLimitPerSecond: Double?
    /// Bytes per second per response (`nil`: as fast as the socket takes them).
    package var bandwidth: Int?
    /// How long a stalled body waits before the server gives up on it.
    package var stallSeconds: Double = 30
    /// The first this many API requests are answered 403 "Imgur is over capacity!", as Imgur
    /// does when it sheds load.
    package var overCapacityRequests = 0
    package var seed: UInt64 = 0

    package init(failRate: Double = 0, truncateRate: Double = 0, stallRate: Double = 0, wrongTypeRate: Double = 0,
                removedRate: Double = 0, cutImageRate: Double = 0, bombRate: Double = 0,
                rateLimitPerSecond: Double? = nil, bandwidth: Int? = nil, stallSeconds: Double = 30, seed: UInt64 = 0) {
        self.cutImageRate = cutImageRate
        self.bombRate = bombRate
        self.failRate = failRate
        self.truncateRate = truncateRate
        self.stallRate = stallRate
        self.wrongTypeRate = wrongTypeRate
        self.removedRate = removedRate
        self.rateLimitPerSecond = rateLimitPerSecond
        self.bandwidth = bandwidth
        self.stallSeconds = stallSeconds
        self.seed = seed
    }

    package var isQuiet: Bool {
        failRate == 0 && truncateRate == 0 && stallRate == 0 && wrongTypeRate == 0 && removedRate == 0
            && cutImageRate == 0 && bombRate == 0
            && rateLimitPerSecond == nil && bandwidth == nil
    }
}

/// What the server does with one request for a media file.
package enum Fault: String, Sendable, Hashable, CaseIterable {
    case none, fail, truncate, stall, wrongType, removed, cutImage, bomb
}

extension FaultOptions {
    /// The fault for the `attempt`-th request (1-based) of `file`. Files that are "deleted" or
    /// "HTML" are so on every attempt; the other faults are drawn afresh for each attempt.
    package func fault(for file: String, attempt: Int) -> Fault {
        if removedRate > 0, draw(file, "removed") < removedRate { return .removed }
        if wrongTypeRate > 0, draw(file, "wrong-type") < wrongTypeRate { return .wrongType }
        if cutImageRate > 0, draw(file, "cut-image") < cutImageRate { return .cutImage }
        if bombRate > 0, draw(file, "bomb") < bombRate { return .bomb }
        let u = draw(file, "attempt \(attempt)")
        if u < failRate { return .fail }
        if u < failRate + truncateRate { return .truncate }
        if u < failRate + truncateRate + stallRate { return .stall }
        return .none
    }

    /// A number in [0, 1) fixed by the seed and the words.
    private func draw(_ file: String, _ what: String) -> Double {
        var hash: UInt64 = 0xcbf29ce484222325 ^ seed
        for byte in (file + "|" + what).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        // One SplitMix64 step to spread the bits.
        var z = hash &+ 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
