import Downloader
import Engines
import Foundation
import SafeFiles
import Thumbnailer

/// Fetch and thumbnails as one streaming pipeline: each image is thumbnailed as soon as its
/// download completes. The stages have their own engines and widths, and a bounded buffer
/// between them: when thumbnails fall behind, finished downloads wait in the buffer, and once
/// it is full the download workers wait for room, so memory stays flat however long the
/// gallery is. What waits is a path to a file already on disk, so the buffer can be deep: by
/// default 1,024 paths (a few hundred KB), which lets downloads run at full speed while the
/// thumbnails catch up. (At twice the thumbnail workers, the old default, the downloads
/// stalled behind the thumbnails: 500 images took 1.45 s instead of 1.19 s.)
///
/// ```
/// links ─► [fetch engine, N] ─► bounded buffer ─► [thumbnail engine, M] ─► report
/// ```
public struct StreamingRun: Sendable {
    public var output: String
    public var fetchEngine: Engine
    public var thumbEngine: Engine
    public var policy: DownloadPolicy
    public var thumbnailer: Thumbnailer
    /// Finished downloads waiting for a thumbnail worker, at most.
    public var bufferCapacity: Int
    public static let defaultBufferCapacity = 1024
    /// Deadline and stop signal for the whole run; progress callbacks per stage.
    public var batch: BatchOptions
    public var thumbProgress: (@Sendable (BatchProgress) -> Void)?

    public init(output: String, fetchEngine: Engine, thumbEngine: Engine, policy: DownloadPolicy = DownloadPolicy(),
                thumbnailer: Thumbnailer = Thumbnailer(), bufferCapacity: Int? = nil, batch: BatchOptions = BatchOptions(),
                thumbProgress: (@Sendable (BatchProgress) -> Void)? = nil) {
        self.output = output
        self.fetchEngine = fetchEngine
        self.thumbEngine = thumbEngine
        self.policy = policy
        self.thumbnailer = thumbnailer
        self.bufferCapacity = bufferCapacity ?? Self.defaultBufferCapacity
        self.batch = batch
        self.thumbProgress = thumbProgress
    }

    /// Runs the pipeline over `links`. The report's `stages` hold the fetch and thumbnail
    /// reports; its own items are the downloads.
    public func run(_ links: LinkSource.Links) async throws(PipelineError) -> RunReport {
        try Fetch.prepareFolder(output)
        if let folder = thumbnailer.outputDirectory { try Fetch.prepareFolder(folder) }
        try Vips.startOrFail(for: thumbnailer)
        let start = ContinuousClock.now
        let startedAt = Date()
        let pausedBefore = RateLimitGate.totalPausedSeconds
        let plan = ResumePlan(links: links.links, folder: output)
        let pending = plan.pending
        let buffer = BoundedChannel<String>(capacity: bufferCapacity)
        let downloaded = ChannelSource(buffer)
        let stop = StopSignal()
        if let parent = batch.stop { stop.follow(parent) }
        let output = self.output

        async let thumbOutcomes = thumbEngine.run(
            ThumbnailWorkload(thumbnailer: thumbnailer), from: downloaded,
            options: BatchOptions(timeout: batch.timeout, stop: stop, progress: thumbProgress, grace: batch.grace))
        // Files complete from an earlier run go straight to the thumbnails.
        for index in plan.done.keys.sorted() { await buffer.send(output + "/" + plan.done[index]!.file) }
        let fetchOutcomes = await fetchEngine.run(
            DownloadWorkload(downloader: Downloader(directory: output, policy: policy)), from: ListSource(pending.map { plan.requests[$0] }),
            options: BatchOptions(timeout: batch.timeout, stop: stop, progress: batch.progress, grace: batch.grace),
            onOutcome: { position, outcome in
                guard let result = outcome.output else { return }
                plan.record(result, for: pending[position])
                buffer.sendBlocking(output + "/" + result.file)
            })
        buffer.close()
        let thumbs = await thumbOutcomes
        let seconds = (ContinuousClock.now - start).seconds
        TemporaryFiles.sweep(output)

        let fetchItems = plan.items(links.links, outcomes: fetchOutcomes)
        let thumbItems = thumbs.indices.map { index in
            Thumbs.item(downloaded.input(at: index) ?? "?", thumbs[index])
        }
        let stopped = RunReport.stopReason(fetchOutcomes.compactMap(\.failure) + thumbs.compactMap(\.failure))
        let fetchReport = RunReport(command: "fetch", engine: fetchEngine.kind.rawValue, workers: fetchEngine.workers,
                                    source: links.description, output: output, startedAt: startedAt, seconds: seconds,
                                    items: fetchItems, skipped: links.skipped, stopped: stopped, rateLimit: links.rateLimit, stages: nil)
        let thumbOutput = (thumbnailer.outputDirectory ?? output) + "/*\(Thumbnailer.marker).*"
        let thumbReport = RunReport(command: "thumbs", engine: thumbEngine.kind.rawValue, workers: thumbEngine.workers,
                                    source: output, output: thumbOutput, startedAt: startedAt, seconds: seconds,
                                    items: thumbItems, skipped: [], stopped: stopped, rateLimit: nil, stages: nil)
        var report = fetchReport
        report.rateLimitWaitSeconds = RateLimitGate.totalPausedSeconds - pausedBefore
        report.command = "run"
        report.engine = "\(fetchEngine.kind.rawValue)+\(thumbEngine.kind.rawValue)"
        report.items = fetchItems + thumbItems
        report.stages = [fetchReport, thumbReport]
        return report
    }
}
