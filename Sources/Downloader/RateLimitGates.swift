import Basics
import Foundation

/// The rate-limit gates of one run, one per server (host and port). Owned by the run, so two
/// runs in one process neither share a pause nor add up each other's waiting; a worker process
/// has its own.
package final class RateLimitGates: Sendable {
    private let gates = Locked<[String: RateLimitGate]>([:])

    package init() {}

    /// The gate of the server at `url`.
    package func gate(for url: URL) -> RateLimitGate {
        let key = "\(url.host ?? "")::\(url.port ?? -1)"
        return gates.withLock { gates in
            if let gate = gates[key] { return gate }
            let gate = RateLimitGate()
            gates[key] = gate
            return gate
        }
    }

    /// Seconds of pause ordered so far, over every server.
    package var pausedSeconds: Double {
        gates.withLock { Array($0.values) }.reduce(0) { $0 + $1.pausedSeconds }
    }
}
