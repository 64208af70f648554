import Engines
import Foundation

/// One measured cell of the matrix (the median of its rounds).
package struct BenchResult: Sendable, Codable {
    package var cell: BenchPlan.Cell
    /// Seconds the work took, as the run's own report measured it (process start excluded).
    package var seconds: Double
    package var items: Int
    package var failed: Int
    package var itemsPerSecond: Double
    /// CPU time over the process's lifetime, as a share of one core (200 = both of two cores).
    package var cpuPercent: Double
    package var peakMegabytes: Double
    /// Time of `sequential` on the same workload over this one.
    package var speedup: Double?
}

/// Everything `skein bench` measured, with what it needs to be read later.
package struct BenchReport: Sendable, Codable {
    package var date: Date
    package var cores: Int
    package var plan: BenchPlan
    package var corpusBytes: Int
    /// Bytes of the images the I/O workload fetches.
    package var fetchBytes: Int
    package var loopbackBytesPerSecond: Double
    package var results: [BenchResult]
    /// Named comparisons against the targets, with the ratios measured.
    package var targets: [Target]
    /// The pipeline as the target names it: async downloads at the widest width, thumbnails
    /// on threads (one per core).
    package var pipelineAsyncThreads: BenchResult?

    package struct Target: Sendable, Codable {
        package var name: String
        package var measured: Double
        package var goal: String
        package var met: Bool
        package var detail: String
    }

    /// The floor of the I/O workload at a width: every request's latency, spread over the
    /// workers, plus the bytes over loopback bandwidth.
    package func ioFloor(workers: Int) -> Double {
        let rounds = (Double(plan.fetchItems) / Double(workers)).rounded(.up)
        return rounds * Double(plan.latencyMilliseconds) / 1000 + Double(fetchBytes) / max(1, loopbackBytesPerSecond)
    }

    package func result(_ workload: BenchPlan.Workload, _ engine: EngineKind, _ workers: Int) -> BenchResult? {
        results.first { $0.cell == BenchPlan.Cell(workload: workload, engine: engine, workers: workers) }
    }
}
