import Synchronization
import Locking

/// What the server has served, readable while it runs (tests use it to prove that a rerun
/// downloads nothing twice).
public final class ServerStats: Sendable {
    let apiRequests = Atomic<Int>(0)
    let mediaRequests = Atomic<Int>(0)
    let mediaBytes = Atomic<Int>(0)
    let perFile = Locked<[String: Int]>([:])

    public init() {}

    public var apiRequestCount: Int { apiRequests.load(ordering: .relaxed) }
    public var mediaRequestCount: Int { mediaRequests.load(ordering: .relaxed) }
    public var mediaBytesServed: Int { mediaBytes.load(ordering: .relaxed) }
    /// How many times each media file was requested.
    public var requestsPerFile: [String: Int] { perFile.withLock { $0 } }

    func recordMedia(_ name: String, bytes: Int) {
        mediaRequests.add(1, ordering: .relaxed)
        mediaBytes.add(bytes, ordering: .relaxed)
        perFile.withLock { $0[name, default: 0] += 1 }
    }
}
