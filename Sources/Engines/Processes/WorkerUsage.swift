import Basics

/// What the worker processes of one run used, owned by that run (two runs in one process
/// never mix): the peak resident bytes of every worker, read just before each was told to
/// exit.
package final class WorkerUsage: Sendable {
    private let peaks = Locked<Int>(0)

    package init() {}

    package func addWorkerPeaks(_ bytes: Int) { peaks.withLock { $0 += bytes } }

    /// The sum of the workers' peaks.
    package var workerPeakBytes: Int { peaks.withLock { $0 } }

    /// This process's peak plus the workers' peaks.
    package var peakBytesIncludingWorkers: Int { (ProcessMemory.peakBytes() ?? 0) + workerPeakBytes }
}
