import Foundation
import Basics

/// A token bucket over the whole server: `perSecond` requests a second, bursts up to the same.
final class RateLimiter: Sendable {
    private struct State { var tokens: Double; var last: ContinuousClock.Instant }
    private let state: Locked<State>
    let perSecond: Double

    init(perSecond: Double) {
        self.perSecond = perSecond
        state = Locked(State(tokens: perSecond, last: .now))
    }

    /// Takes a token; when there is none, the seconds until there will be one.
    func take() -> Double? {
        state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = now - state.last
            state.tokens = min(perSecond, state.tokens + elapsed.seconds * perSecond)
            state.last = now
            if state.tokens >= 1 {
                state.tokens -= 1
                return nil
            }
            return (1 - state.tokens) / perSecond
        }
    }
}
