import Foundation
import Logging
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
    /// Told of each pause this gate starts or lengthens because a server said so (a job
    /// worker passes it on to every other worker).
    private let onPause: (@Sendable (Double) -> Void)?

    package init(onPause: (@Sendable (Double) -> Void)? = nil) {
        self.onPause = onPause
    }

    /// Holds everything back until `seconds` from now (if that is later than any pause already
    /// set). At most `limit` seconds, so a bogus header can't freeze the run. `relayed` is
    /// false for a pause that came from elsewhere (it is not passed on again).
    package func pause(seconds: Double, limit: Double = 300, relayed: Bool = true) {
        let capped = min(max(seconds, 0), limit)
        let until = ContinuousClock.now + .milliseconds(Int64(capped * 1000))
        let lengthened = state.withLock { state -> ContinuousClock.Instant? in
            let now = ContinuousClock.now
            let current = state.resumeAt.map { max($0, now) } ?? now
            guard until > current else { return nil }
            state.paused += until - current
            state.resumeAt = until
            return current
        }
        guard let from = lengthened else { return }
        Log.download.debug("pause", metadata: ["seconds": "\(capped)", "from": "\(relayed ? "a server" : "the job")"])
        TraceRecorder.current?.complete(relayed ? "rate-limit pause" : "pause of the job", category: "pause",
                                        lane: TraceRecorder.eventsLane(.download), start: from, end: until, args: ["seconds": .number(capped)])
        if relayed { onPause?(capped) }
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
