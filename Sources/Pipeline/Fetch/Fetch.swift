import Downloader
import Engines
import Foundation
import ImgurAPI
import SafeFiles

/// Downloads a list of links into a folder on an engine.
public struct Fetch: Sendable {
    public var output: String
    public var engine: Engine
    public var policy: DownloadPolicy
    public var batch: BatchOptions

    public init(output: String, engine: Engine, policy: DownloadPolicy = DownloadPolicy(), batch: BatchOptions = BatchOptions()) {
        self.output = output
        self.engine = engine
        self.policy = policy
        self.batch = batch
    }

    /// Makes sure the output folder exists and can be written.
    /// - Throws: `PipelineError` (configuration) naming the folder.
    public static func prepareFolder(_ path: String) throws(PipelineError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.configuration, "cannot create the output folder \(path): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw PipelineError(.configuration, "the output folder \(path) is not writable")
        }
        TemporaryFiles.sweep(path)
    }

    /// Downloads `links`; one report item per link, in order. Items the folder's manifest
    /// shows complete and intact are not downloaded again; damaged ones are repaired.
    public func run(_ links: LinkSource.Links) async throws(PipelineError) -> RunReport {
        try Self.prepareFolder(output)
        let start = ContinuousClock.now
        let startedAt = Date()
        let pausedBefore = RateLimitGate.totalPausedSeconds
        let plan = ResumePlan(links: links.links, folder: output)
        let pending = plan.pending
        let workload = DownloadWorkload(downloader: Downloader(directory: output, policy: policy))
        let outcomes = await engine.run(workload, from: ListSource(pending.map { plan.requests[$0] }), options: batch,
                                        onOutcome: { position, outcome in
                                            if let result = outcome.output { plan.record(result, for: pending[position]) }
                                        })
        TemporaryFiles.sweep(output)
        let items = plan.items(links.links, outcomes: outcomes)
        var report = RunReport(command: "fetch", engine: engine.kind.rawValue, workers: engine.workers,
                               source: links.description, output: output, startedAt: startedAt,
                               seconds: (ContinuousClock.now - start).seconds, items: items, skipped: links.skipped,
                               stopped: RunReport.stopReason(outcomes.compactMap(\.failure)), rateLimit: links.rateLimit, stages: nil)
        report.rateLimitWaitSeconds = RateLimitGate.totalPausedSeconds - pausedBefore
        return report
    }

    static func item(_ link: ImageLink, _ outcome: JobOutcome<DownloadResult>) -> ItemReport {
        switch outcome.result {
        case .success(let result):
            return ItemReport(item: link.url, id: link.id, source: link.source, file: result.file, bytes: result.bytes,
                              status: result.alreadyPresent ? .alreadyPresent : .downloaded, error: nil,
                              seconds: outcome.seconds, attempts: result.attempts, crc32: result.crc32)
        case .failure(let failure):
            return ItemReport(item: link.url, id: link.id, source: link.source, file: nil, bytes: 0, status: .failed,
                              error: .init(failure, item: link.url),
                              seconds: outcome.seconds, attempts: nil, crc32: nil)
        }
    }
}
