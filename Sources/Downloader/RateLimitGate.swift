import Foundation
import Basics

/// A pause shared by every download from one server: when any response says the rate limit
/// is reached (a 429, or `X-RateLimit-*Remaining: 0`), every worker waits until the reset
/// time, not just the one that was told. A run holds one per server in its `RateLimitGates`.
package final class RateLimitGate: Sendable {
    private struct State {
        var resumeAt: ContinuousClock.Instant?
        /// Total time during which downloads were held back (overlapping pauses counted once).
        var paused: Duration = .zero
    }
    private let state = Locked(State())

    package init() {}

    /// Holds everything back until `seconds` from now (if that is later than any pause already
    /// set). At most `limit` seconds, so a bogus header can't freeze the run.
    package func pause(seconds: Double, limit: Double = 300) {
        let until = ContinuousClock.now + .milliseconds(Int64(min(max(seconds, 0), limit) * 1000))
        state.withLock { state in
            let now = ContinuousClock.now
            let current = state.resumeAt.map { max($0, now) } ?? now
            if until > current {
                state.paused += until - current
                state.resumeAt = until
            }
        }
    }

    /// Waits while a pause is in force.
    package func wait() async throws {
        while let resumeAt = state.withLock({ $0.resumeAt }), resumeAt > .now {
            try await Task.sleep(until: resumeAt, clock: .continuous)
        }
    }

    /// Seconds of pause ordered so far.
    package var pausedSeconds: Double { state.withLock { $0.paused }.seconds }
}
