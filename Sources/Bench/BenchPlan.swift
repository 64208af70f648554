import Engines

/// What `skein bench` measures: engines × workloads × worker counts.
public struct BenchPlan: Sendable, Codable {
    /// The three workloads.
    public enum Workload: String, Sendable, Codable, CaseIterable {
        /// Fetch N images from the embedded gallery with L ms of server latency.
        case io
        /// Thumbnails of the corpus.
        case cpu
        /// Fetch and thumbnails as one streaming pipeline.
        case pipeline
    }

    public var engines: [EngineKind]
    public var workloads: [Workload]
    public var workerCounts: [Int]
    /// Images fetched in the I/O and pipeline workloads.
    public var fetchItems: Int
    /// Server latency for the I/O and pipeline workloads.
    public var latencyMilliseconds: Int
    /// Images thumbnailed in the CPU workload.
    public var thumbItems: Int
    /// Each measurement is taken this many times; the median is kept.
    public var rounds: Int
    public var seed: UInt64

    public init(engines: [EngineKind] = EngineKind.allCases, workloads: [Workload] = Workload.allCases,
                workerCounts: [Int] = [1, 2, 4, 8, 16, 64], fetchItems: Int = 200, latencyMilliseconds: Int = 20,
                thumbItems: Int = 200, rounds: Int = 1, seed: UInt64 = 42) {
        self.engines = engines
        self.workloads = workloads
        self.workerCounts = workerCounts
        self.fetchItems = fetchItems
        self.latencyMilliseconds = latencyMilliseconds
        self.thumbItems = thumbItems
        self.rounds = rounds
        self.seed = seed
    }

    /// One cell of the matrix.
    public struct Cell: Sendable, Codable, Hashable {
        public var workload: Workload
        public var engine: EngineKind
        public var workers: Int
    }

    /// Every cell, in the order they run: workloads, then engines, then widths. `sequential`
    /// runs once (its width is always 1).
    public var cells: [Cell] {
        workloads.flatMap { workload in
            engines.flatMap { engine in
                (engine == .sequential ? [1] : workerCounts).map { Cell(workload: workload, engine: engine, workers: $0) }
            }
        }
    }
}
