import Basics

/// Time spent in store calls, summed over the worker's tasks.
final class StoreClock: Sendable {
    private let total = Locked(Duration.zero)

    @discardableResult
    func time<T>(_ body: () async throws(JobStoreError) -> T) async throws(JobStoreError) -> T {
        let start = ContinuousClock.now
        defer { let elapsed = ContinuousClock.now - start; total.withLock { $0 += elapsed } }
        return try await body()
    }

    var seconds: Double { total.withLock { $0 }.seconds }
}
