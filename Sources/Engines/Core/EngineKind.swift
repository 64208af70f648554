/// The concurrency models Skein can run a batch on.
package enum EngineKind: String, CaseIterable, Sendable, Codable {
    /// A plain loop on one thread: the baseline.
    case sequential
    /// N `Thread` workers pulling from a shared blocking queue, joined at the end
    /// (the tutorial's `DownloadWorker` design).
    case threads
    /// A thread pool with an ordered `map` and a whole-batch timeout
    /// (`ThreadPoolExecutor.map(timeout=30)`).
    case pool
    /// Grand Central Dispatch: a concurrent queue with a semaphore limiting the width.
    case gcd
    /// Foundation's `OperationQueue` with `maxConcurrentOperationCount`.
    case operations
    /// Structured concurrency: a `TaskGroup` with at most N child tasks; no thread blocks on I/O.
    case async
    /// N worker processes (copies of this executable) fed over pipes.
    case processes

    /// One line on what it is, for help text.
    package var summary: String {
        switch self {
        case .sequential: "one job at a time on one thread"
        case .threads: "N threads pulling from a shared blocking queue"
        case .pool: "a thread pool with ordered map and a whole-batch timeout"
        case .gcd: "a concurrent DispatchQueue limited to N at once"
        case .operations: "an OperationQueue with maxConcurrentOperationCount N"
        case .async: "a TaskGroup with at most N tasks in flight"
        case .processes: "N worker processes talking over pipes"
        }
    }
}
