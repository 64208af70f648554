import Basics
import Synchronization

/// What the server has served, readable while it runs (tests use it to prove that a rerun
/// downloads nothing twice).
package final class ServerStats: Sendable {
    let apiRequests = Atomic<Int>(0)
    let mediaRequests = Atomic<Int>(0)
    let perFile = Locked<[String: Int]>([:])

    package init() {}

    package var apiRequestCount: Int { apiRequests.load(ordering: .relaxed) }
    package var mediaRequestCount: Int { mediaRequests.load(ordering: .relaxed) }
    /// How many times each media file was requested.
    package var requestsPerFile: [String: Int] { perFile.withLock { $0 } }

    let ranged = Atomic<Int>(0)
    /// Media requests answered with a part of the file (206).
    package var rangedRequestCount: Int { ranged.load(ordering: .relaxed) }

    let rateLimited = Atomic<Int>(0)
    let faultCounts = Locked<[Fault: Int]>([:])
    let stopping = Atomic<Bool>(false)

    /// Requests answered with 429.
    package var rateLimitedCount: Int { rateLimited.load(ordering: .relaxed) }
    /// How many times each fault was injected.
    package var faultsInjected: [Fault: Int] { faultCounts.withLock { $0 } }

    /// Counts a request for a media file; returns which attempt at that file it is (1-based).
    func recordMedia(_ name: String) -> Int {
        mediaRequests.add(1, ordering: .relaxed)
        return perFile.withLock { counts in
            counts[name, default: 0] += 1
            return counts[name]!
        }
    }

    func recordRanged() { ranged.add(1, ordering: .relaxed) }

    func recordFault(_ fault: Fault) { faultCounts.withLock { $0[fault, default: 0] += 1 } }

    let agents = Locked<Set<String>>([])
    /// Every `User-Agent` the server was sent (none: an empty string).
    package var userAgents: Set<String> { agents.withLock { $0 } }
    func record(userAgent: String?) {
        agents.withLock { _ = $0.insert(userAgent ?? "") }
    }

    let apiInFlight = Atomic<Int>(0)
    let apiPeak = Atomic<Int>(0)
    /// The most API requests the server was answering at once.
    package var peakConcurrentAPIRequests: Int { apiPeak.load(ordering: .relaxed) }
    func apiStarted() {
        let now = apiInFlight.add(1, ordering: .relaxed).newValue
        var peak = apiPeak.load(ordering: .relaxed)
        while now > peak {
            let (exchanged, original) = apiPeak.compareExchange(expected: peak, desired: now, ordering: .relaxed)
            if exchanged { break }
            peak = original
        }
    }
    func apiEnded() { apiInFlight.subtract(1, ordering: .relaxed) }
}
