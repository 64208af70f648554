import Engines
import Foundation

/// The targets, checked against what the matrix measured.
enum BenchTargets {
    static func evaluate(_ report: BenchReport) -> [BenchReport.Target] {
        var targets: [BenchReport.Target] = []
        let widest = report.plan.workerCounts.max() ?? 1
        if let async = report.result(.io, .async, widest) {
            let floor = report.ioFloor(workers: widest)
            let ratio = async.seconds / floor
            targets.append(.init(name: "async fetch vs floor at \(widest) workers", measured: ratio, goal: "≤ 1.25",
                                 met: ratio <= 1.25, detail: String(format: "%.3f s vs floor %.3f s", async.seconds, floor)))
        }
        if let threads = report.result(.cpu, .threads, 2), let sequential = report.result(.cpu, .sequential, 1) {
            let speedup = sequential.seconds / threads.seconds
            targets.append(.init(name: "thumbnails: threads(2) over sequential", measured: speedup, goal: "≥ 1.8",
                                 met: speedup >= 1.8, detail: String(format: "%.2f s vs %.2f s", threads.seconds, sequential.seconds)))
        }
        if let processes = report.result(.cpu, .processes, 2), let threads = report.result(.cpu, .threads, 2) {
            let ratio = processes.seconds / threads.seconds
            targets.append(.init(name: "thumbnails: processes(2) over threads(2)", measured: ratio, goal: "≤ 1.3",
                                 met: ratio <= 1.3, detail: String(format: "%.2f s vs %.2f s", processes.seconds, threads.seconds)))
        }
        if let pipeline = report.pipelineAsyncThreads ?? report.result(.pipeline, .async, widest), let fetch = report.result(.io, .async, widest),
           let thumbs = report.result(.cpu, .threads, report.cores)
               ?? report.results.filter({ $0.cell.workload == .cpu }).min(by: { $0.seconds < $1.seconds }) {
            let slower = max(fetch.seconds, thumbs.seconds)
            let ratio = pipeline.seconds / slower
            targets.append(.init(name: "pipeline(async \(widest) + threads) over max(fetch alone, thumbnails alone)", measured: ratio,
                                 goal: "≤ 1.15", met: ratio <= 1.15,
                                 detail: String(format: "%.2f s vs max(%.2f, %.2f) s (thumbnails alone: %@ %d)", pipeline.seconds,
                                                fetch.seconds, thumbs.seconds, thumbs.cell.engine.rawValue, thumbs.cell.workers)))
        }
        return targets
    }
}
