import Engines

/// What `skein bench` measures: engines × workloads × worker counts.
package struct BenchPlan: Sendable, Codable {
    /// The three workloads.
    package enum Workload: String, Sendable, Codable, CaseIterable {
        /// Fetch N images from the embedded gallery with L ms of server latency.
        case io
        /// Thumbnails of the corpus.
        case cpu
        /// Fetch and thumbnails as one streaming pipeline.
        case pipeline
    }

    package var engines: [EngineKind]
    package var workloads: [Workload]
    package var workerCounts: [Int]
    /// Images fetched in the I/O and pipeline workloads.
    package var fetchItems: Int
    /// Server latency for the I/O and pipeline workloads.
    package var latencyMilliseconds: Int
    /// Images thumbnailed in the CPU workload.
    package var thumbItems: Int
    /// Each measurement is taken this many times; the median is kept.
    package var rounds: Int
    package var seed: UInt64

    package init(engines: [EngineKind] = EngineKind.allCases, workloads: [Workload] = Workload.allCases,
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
    package struct Cell: Sendable, Codable, Hashable {
        package var workload: Workload
        package var engine: EngineKind
        package var workers: Int
    }

    /// Every cell, in the order they run: workloads, then engines, then widths. `sequential`
    /// runs once (its width is always 1).
    package var cells: [Cell] {
        workloads.flatMap { workload in
            engines.flatMap { engine in
                (engine == .sequential ? [1] : workerCounts).map { Cell(workload: workload, engine: engine, workers: $0) }
            }
        }
    }
}
