@testable import Bench
import Engines
import Foundation
import Testing

@Suite("Bench arithmetic")
struct BenchTests {
    static func result(_ workload: BenchPlan.Workload, _ engine: EngineKind, _ workers: Int, _ seconds: Double) -> BenchResult {
        BenchResult(cell: .init(workload: workload, engine: engine, workers: workers), seconds: seconds, items: 100, failed: 0,
                    itemsPerSecond: 100 / seconds, cpuPercent: 100, peakMegabytes: 50, speedup: nil)
    }

    @Test("the matrix runs sequential once and every other engine at every width")
    func cells() {
        let plan = BenchPlan(engines: [.sequential, .threads], workloads: [.io, .cpu], workerCounts: [1, 4])
        #expect(plan.cells.count == 2 * (1 + 2))
        #expect(plan.cells.filter { $0.engine == .sequential }.allSatisfy { $0.workers == 1 })
    }

    @Test("speedups are over sequential on the same workload; targets compare the right cells")
    func targets() {
        var plan = BenchPlan(workerCounts: [1, 2, 64])
        plan.fetchItems = 128
        plan.latencyMilliseconds = 50
        let results = BenchRunner.withSpeedups([
            Self.result(.io, .sequential, 1, 6.4), Self.result(.io, .async, 64, 0.25),
            Self.result(.cpu, .sequential, 1, 2.0), Self.result(.cpu, .threads, 2, 1.0), Self.result(.cpu, .processes, 2, 1.5),
            Self.result(.pipeline, .async, 64, 1.1),
        ])
        #expect(results[1].speedup == 6.4 / 0.25)
        #expect(results[3].speedup == 2.0)
        var report = BenchReport(date: Date(), cores: 2, plan: plan, corpusBytes: 0, fetchBytes: 100_000_000,
                                 loopbackBytesPerSecond: 1_000_000_000, results: results, targets: [])
        // Floor: ceil(128/64) × 50 ms + 100 MB at 1 GB/s = 0.1 + 0.1 s.
        #expect(abs(report.ioFloor(workers: 64) - 0.2) < 1e-9)
        report.targets = BenchTargets.evaluate(report)
        let byName = Dictionary(uniqueKeysWithValues: report.targets.map { ($0.name, $0) })
        #expect(byName["async fetch vs floor at 64 workers"]?.measured == 0.25 / 0.2)
        #expect(byName["thumbnails: threads(2) over sequential"]?.met == true)
        #expect(byName["thumbnails: processes(2) over threads(2)"]?.met == false)
        #expect(byName.keys.contains { $0.hasPrefix("pipeline") })
    }

    @Test("medians and the rotation of tool order")
    func medians() {
        #expect([3.0, 1.0, 2.0].median == 2.0)
        #expect([4.0, 1.0, 2.0, 3.0].median == 2.5)
        #expect([1, 2, 3].rotated(by: 1) == [2, 3, 1])
        #expect([1, 2, 3].rotated(by: 4) == [2, 3, 1])
    }
}
