import Engines
import Foundation
import Basics
import GalleryServer
import NIOCore
import Pipeline

/// Runs the benchmark matrix: the real `skein` binary as a child process for every cell,
/// against the embedded gallery served from this process, so each measurement is the product
/// as a user runs it (and the kernel's accounting of its CPU and memory is exact).
package struct BenchRunner: Sendable {
    package var plan: BenchPlan
    /// The `skein` executable to measure.
    package var executable: String
    /// A scratch folder (emptied and reused).
    package var workFolder: String
    /// Where each cell writes its trace (`--trace`), named for the cell.
    package var traceFolder: String?

    package init(plan: BenchPlan, executable: String, workFolder: String) {
        self.plan = plan
        self.executable = executable
        self.workFolder = workFolder
    }

    package func run(log: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workFolder)
        try fm.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: workFolder) } // also when a step throws
        let corpus = try CorpusCache.corpus(for: .realistic(items: max(plan.fetchItems, plan.thumbItems), seed: plan.seed),
                                            diskCache: CorpusCache.defaultDiskCache)
        // The thumbnail input: the first images of the corpus, on disk.
        let thumbSource = workFolder + "/thumb-source"
        try corpus.images.prefix(plan.thumbItems).write(to: thumbSource)
        let fetchImages = corpus.images.prefix(plan.fetchItems)
        let fetchBytes = fetchImages.reduce(0) { $0 + $1.bytes.readableBytes }
        log("Measuring loopback bandwidth…")
        let bandwidth = Loopback.bandwidth()
        log(String(format: "Loopback: %.0f MB/s. Corpus: %d images, %.1f MB.", bandwidth / 1e6, corpus.images.count, Double(corpus.totalBytes) / 1e6))

        let server = GalleryServer(corpus: corpus, options: ServerOptions(latency: .milliseconds(plan.latencyMilliseconds)))
        let plan = self.plan
        let targetPipeline = Locked<BenchResult?>(nil)
        let results = try await server.withRunning { url in
            let links = workFolder + "/links.txt"
            try fetchImages.map { url + "/" + $0.fileName }.joined(separator: "\n").write(toFile: links, atomically: true, encoding: .utf8)
            var results: [BenchResult] = []
            for cell in plan.cells {
                var rounds: [BenchResult] = []
                for _ in 0..<plan.rounds { rounds.append(try measure(cell, links: links, thumbSource: thumbSource)) }
                let median = rounds.sorted { $0.seconds < $1.seconds }[rounds.count / 2]
                log(String(format: "%@ %@ %3d workers: %7.2f s  %8.1f items/s  CPU %4.0f%%  %6.1f MB%@",
                           cell.workload.rawValue.left(8), cell.engine.rawValue.left(10), cell.workers, median.seconds,
                           median.itemsPerSecond, median.cpuPercent, median.peakMegabytes,
                           median.failed > 0 ? "  \(median.failed) FAILED" : ""))
                results.append(median)
            }
            // The configuration the pipeline target names: async downloads, thumbnails on
            // threads, one per core.
            if plan.workloads.contains(.pipeline), let widest = plan.workerCounts.max() {
                let cell = BenchPlan.Cell(workload: .pipeline, engine: .async, workers: widest)
                var target = try measure(cell, links: links, thumbSource: thumbSource, thumbEngine: .threads)
                target.cell = cell
                log(String(format: "pipeline async(%d) + threads(%d): %.2f s", widest, ProcessInfo.processInfo.activeProcessorCount, target.seconds))
                targetPipeline.withLock { $0 = target }
            }
            return results
        }
        var report = BenchReport(date: Date(), cores: ProcessInfo.processInfo.activeProcessorCount, plan: plan,
                                 corpusBytes: corpus.totalBytes, fetchBytes: fetchBytes,
                                 loopbackBytesPerSecond: bandwidth, results: Self.withSpeedups(results), targets: [],
                                 pipelineAsyncThreads: targetPipeline.withLock { $0 })
        report.targets = BenchTargets.evaluate(report)
        return report
    }

    /// Runs one cell once.
    func measure(_ cell: BenchPlan.Cell, links: String, thumbSource: String, thumbEngine: EngineKind? = nil) throws -> BenchResult {
        let out = workFolder + "/out"
        let json = workFolder + "/report.json"
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: json)
        let w = String(cell.workers), e = cell.engine.rawValue
        let arguments: [String] = switch cell.workload {
        case .io:
            ["fetch", "--links", links, "--limit", String(plan.fetchItems), "--out", out, "--engine", e, "--workers", w, "--json", json]
        case .cpu:
            ["thumbs", thumbSource, "--thumbs-out", out, "--engine", e, "--workers", w, "--json", json]
        case .pipeline:
            ["run", "--links", links, "--limit", String(plan.fetchItems), "--out", out, "--fetch-engine", e, "--fetch-workers", w,
             "--thumb-engine", thumbEngine?.rawValue ?? e, "--thumb-workers", String(min(cell.workers, ProcessInfo.processInfo.activeProcessorCount)), "--json", json]
        }
        var traced = arguments
        if let traceFolder {
            traced += ["--trace", traceFolder + "/\(cell.workload.rawValue)-\(e)-\(w).json", "--quiet"]
        }
        let child = try ChildRun.run(executable, traced)
        let report = try RunReport.read(from: json)
        let items = report.stages?.first?.itemCount ?? report.itemCount
        let failed = report.failedCount
        try? FileManager.default.removeItem(atPath: out)
        return BenchResult(cell: cell, seconds: report.seconds, items: items, failed: failed,
                           itemsPerSecond: report.seconds > 0 ? Double(items - failed) / report.seconds : 0,
                           cpuPercent: child.wallSeconds > 0 ? 100 * child.cpuSeconds / child.wallSeconds : 0,
                           peakMegabytes: Double(report.peakMemoryBytes ?? child.peakBytes) / 1e6, speedup: nil)
    }

    static func withSpeedups(_ results: [BenchResult]) -> [BenchResult] {
        results.map { result in
            var result = result
            if let baseline = results.first(where: { $0.cell.workload == result.cell.workload && $0.cell.engine == .sequential }) {
                result.speedup = baseline.seconds / max(result.seconds, 1e-9)
            }
            return result
        }
    }
}
