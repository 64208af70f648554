import Engines
import Foundation

/// One measured cell of the matrix (the median of its rounds).
public struct BenchResult: Sendable, Codable {
    public var cell: BenchPlan.Cell
    /// Seconds the work took, as the run's own report measured it (process start excluded).
    public var seconds: Double
    public var items: Int
    public var failed: Int
    public var itemsPerSecond: Double
    /// CPU time over the process's lifetime, as a share of one core (200 = both of two cores).
    public var cpuPercent: Double
    public var peakMegabytes: Double
    /// Time of `sequential` on the same workload over this one.
    public var speedup: Double?
}

/// Everything `skein bench` measured, with what it needs to be read later.
public struct BenchReport: Sendable, Codable {
    public var date: Date
    public var cores: Int
    public var plan: BenchPlan
    public var corpusBytes: Int
    /// Bytes of the images the I/O workload fetches.
    public var fetchBytes: Int
    public var loopbackBytesPerSecond: Double
    public var results: [BenchResult]
    /// Named comparisons against the targets, with the ratios measured.
    public var targets: [Target]
    /// The pipeline as the target names it: async downloads at the widest width, thumbnails
    /// on threads (one per core).
    public var pipelineAsyncThreads: BenchResult?

    public struct Target: Sendable, Codable {
        public var name: String
        public var measured: Double
        public var goal: String
        public var met: Bool
        public var detail: String
    }

    /// The floor of the I/O workload at a width: every request's latency, spread over the
    /// workers, plus the bytes over loopback bandwidth.
    public func ioFloor(workers: Int) -> Double {
        let rounds = (Double(plan.fetchItems) / Double(workers)).rounded(.up)
        return rounds * Double(plan.latencyMilliseconds) / 1000 + Double(fetchBytes) / max(1, loopbackBytesPerSecond)
    }

    public func result(_ workload: BenchPlan.Workload, _ engine: EngineKind, _ workers: Int) -> BenchResult? {
        results.first { $0.cell == BenchPlan.Cell(workload: workload, engine: engine, workers: workers) }
    }
}
