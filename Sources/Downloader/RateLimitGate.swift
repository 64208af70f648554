import Foundation
import Locking

/// A pause shared by every download from one server: when any response says the rate limit
/// is reached (a 429, or `X-RateLimit-*Remaining: 0`), every worker waits until the reset
/// time, not just the one that was told. One gate per host and port, for the whole process
/// (worker processes each have their own).
public final class RateLimitGate: Sendable {
    private static let gates = Locked<[String: RateLimitGate]>([:])

    /// The gate of the server at `url`.
    public static func gate(for url: URL) -> RateLimitGate {
        let key = "\(url.host ?? "")::\(url.port ?? -1)"
        return gates.withLock { gates in
            if let gate = gates[key] { return gate }
            let gate = RateLimitGate()
            gates[key] = gate
            return gate
        }
    }

    /// Seconds of pause ordered so far, over every server.
    public static var totalPausedSeconds: Double {
        gates.withLock { Array($0.values) }.reduce(0) { $0 + $1.pausedSeconds }
    }

    private struct State {
        var resumeAt: ContinuousClock.Instant?
        /// Total time during which downloads were held back (overlapping pauses counted once).
        var paused: Duration = .zero
    }
    private let state = Locked(State())

    public init() {}

    /// Holds everything back until `seconds` from now (if that is later than any pause already
    /// set). At most `limit` seconds, so a bogus header can't freeze the run.
    public func pause(seconds: Double, limit: Double = 300) {
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
    public func wait() async throws {
        while let resumeAt = state.withLock({ $0.resumeAt }), resumeAt > .now {
            try await Task.sleep(until: resumeAt, clock: .continuous)
        }
    }

    /// Seconds of pause ordered so far.
    public var pausedSeconds: Double {
        let components = state.withLock { $0.paused }.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
