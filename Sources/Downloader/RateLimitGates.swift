import Basics
import Foundation

/// The rate-limit gates of one run, one per server (host and port). Owned by the run, so two
/// runs in one process neither share a pause nor add up each other's waiting; a worker process
/// has its own.
package final class RateLimitGates: Sendable {
    private let gates = Locked<[String: RateLimitGate]>([:])
    private let onPause: (@Sendable (Double) -> Void)?
    /// A pause from elsewhere (every worker of a job), for gates made after it came.
    private let pausedUntil = Locked<ContinuousClock.Instant?>(nil)

    /// - Parameter onPause: told of every pause a server orders, in seconds.
    package init(onPause: (@Sendable (Double) -> Void)? = nil) {
        self.onPause = onPause
    }

    /// Holds back every server's downloads for `seconds`, without passing the pause on: it
    /// came from elsewhere.
    package func pauseAll(seconds: Double) {
        let until = ContinuousClock.now + .milliseconds(Int64(max(0, seconds) * 1000))
        pausedUntil.withLock { $0 = max($0 ?? until, until) }
        for gate in gates.withLock({ Array($0.values) }) { gate.pause(seconds: seconds, relayed: false) }
    }

    /// The gate of the server at `url`.
    package func gate(for url: URL) -> RateLimitGate {
        let key = "\(url.host ?? "")::\(url.port ?? -1)"
        return gates.withLock { gates in
            if let gate = gates[key] { return gate }
            let gate = RateLimitGate(onPause: onPause)
            if let until = pausedUntil.withLock({ $0 }), until > .now {
                gate.pause(seconds: (until - .now).seconds, relayed: false)
            }
            gates[key] = gate
            return gate
        }
    }

    /// Seconds of pause ordered so far, over every server.
    package var pausedSeconds: Double {
        gates.withLock { Array($0.values) }.reduce(0) { $0 + $1.pausedSeconds }
    }
}
