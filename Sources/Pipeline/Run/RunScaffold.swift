import Basics
import Downloader
import Engines
import Foundation
import SafeFiles
import Thumbnailer

/// What every run does, written once: prepare the folders, plan what an earlier run left,
/// run the stages through their engines (streaming when there are two: each image is
/// thumbnailed as soon as its download completes), sweep temporary files, and build the
/// report. `fetch` is the download stage alone, `thumbs` the thumbnail stage over a folder,
/// `run` both.
///
/// ```
/// links ─► [download engine, N] ─► bounded buffer ─► [thumbnail engine, M] ─► report
/// ```
///
/// When thumbnails fall behind, finished downloads wait in the buffer, and once it is full
/// the download workers wait for room, so memory stays flat however long the gallery is.
/// What waits is a path to a file already on disk, so the buffer can be deep (1,024 paths by
/// default, a few hundred KB): downloads run at full speed while the thumbnails catch up.
package struct RunScaffold: Sendable {
    /// What the first stage takes.
    package enum Input: Sendable {
        /// Links to download (then thumbnail, with both stages), listed already.
        case links(LinkSource.Links)
        /// Links as the source lists them: the downloads start with the first page, and a
        /// listing of any length is never all in memory.
        case listing(LinkSource)
        /// A folder whose images are thumbnailed.
        case folder(String)
    }

    package var download: DownloadStage?
    package var thumbnails: ThumbnailStage?
    /// Deadline and stop signal for the whole run, and the first stage's progress callback.
    package var batch: BatchOptions
    /// The thumbnail stage's progress callback when it is the second stage.
    package var thumbProgress: (@Sendable (BatchProgress) -> Void)?
    /// Finished downloads waiting for a thumbnail worker, at most.
    package var bufferCapacity: Int
    package static let defaultBufferCapacity = 1024
    /// Told of each download's final outcome as it comes (a job worker records it).
    package var onDownload: (@Sendable (ItemReport) -> Void)?
    /// The rate-limit gates to use (a job worker shares its pause with every other worker);
    /// else the run has its own.
    package var gates: RateLimitGates?
    /// Links downloaded before, by any run that used it, are skipped (`--archive`).
    package var archive: (any DownloadArchive)?
    /// Where the run's contact sheet goes (`--html`), written when the report is made.
    package var contactSheet: String?

    package init(download: DownloadStage? = nil, thumbnails: ThumbnailStage? = nil, batch: BatchOptions = BatchOptions(),
                 thumbProgress: (@Sendable (BatchProgress) -> Void)? = nil, bufferCapacity: Int? = nil) {
        self.download = download
        self.thumbnails = thumbnails
        self.batch = batch
        self.thumbProgress = thumbProgress
        self.bufferCapacity = max(1, bufferCapacity ?? Self.defaultBufferCapacity)
    }

    /// Runs the stages over `input`. With both stages the report's `stages` hold the download
    /// and thumbnail reports and its items are both stages' items. Items are reported in the
    /// order they finish.
    /// - Throws: `PipelineError` when a folder can't be prepared or read, the listing fails,
    ///   or the stages don't fit the input.
    package func run(_ input: Input) async throws(PipelineError) -> RunReport {
        try download?.prepare()
        try thumbnails?.prepare()
        let context = RunContext(batch: batch, gates: gates ?? RateLimitGates())
        defer { context.end() }
        var report: RunReport
        switch (input, download, thumbnails) {
        case (.folder(let folder), nil, let thumbnails?):
            let paths = try ThumbnailStage.sources(in: folder)
            let log = ItemLog()
            let stopped = await self.thumbnails(thumbnails, of: paths, context, log: log)
            report = thumbnails.report(source: folder, originals: folder, log: log, timing: context.timing(), stopped: stopped)
        case (.links(let links), let download?, nil):
            report = try await fetch(.links(links), download, context)
        case (.listing(let source), let download?, nil):
            report = try await fetch(.listing(source), download, context)
        case (.links(let links), let download?, let thumbnails?):
            report = try await stream(.links(links), download, thumbnails, context)
        case (.listing(let source), let download?, let thumbnails?):
            report = try await stream(.listing(source), download, thumbnails, context)
        default:
            throw PipelineError(.configuration, "a run takes links with a download stage, or a folder with a thumbnail stage alone")
        }
        if let download { TemporaryFiles.sweep(download.output) }
        report.rateLimitWaitSeconds = download == nil ? nil : context.gates.pausedSeconds
        report.peakMemoryBytes = context.usage.peakBytesIncludingWorkers
        if let contactSheet { ContactSheetWriter.add(contactSheet, to: &report) }
        return report
    }

    /// The download stage alone.
    private func fetch(_ feed: Feed, _ download: DownloadStage, _ context: RunContext) async throws(PipelineError) -> RunReport {
        let log = ItemLog(observer: onDownload)
        let fetched = try await downloads(feed, download, context, log: log, sink: nil)
        return download.report(fetched.listing, log: log, timing: context.timing(), stopped: fetched.stopped)
    }

    /// Both stages at once, with the bounded buffer between them.
    private func stream(_ feed: Feed, _ download: DownloadStage, _ thumbnails: ThumbnailStage,
                        _ context: RunContext) async throws(PipelineError) -> RunReport {
        let buffer = BoundedChannel<String>(capacity: bufferCapacity)
        let downloaded = ChannelSource(buffer)
        let fetchLog = ItemLog(observer: onDownload), thumbLog = ItemLog()
        // Thumbnails in a folder of their own keep the originals' subfolders (--name).
        var thumbnails = thumbnails
        thumbnails.thumbnailer.sourceRoot = download.output
        async let made = self.thumbnails(thumbnails, from: downloaded, context, log: thumbLog)
        let fetched: (listing: LinkSource.Listing, stopped: StopReason?)
        do {
            fetched = try await downloads(feed, download, context, log: fetchLog, sink: buffer)
        } catch {
            buffer.close()
            _ = await made
            throw error
        }
        let thumbsStopped = await made
        let timing = context.timing()
        let stopped = fetched.stopped ?? thumbsStopped
        let fetchReport = download.report(fetched.listing, log: fetchLog, timing: timing, stopped: stopped)
        let thumbReport = thumbnails.report(source: download.output, originals: download.output, log: thumbLog,
                                            timing: timing, stopped: stopped)
        var report = fetchReport
        report.command = "run"
        report.engine = "\(download.engine.kind.rawValue)+\(thumbnails.engine.kind.rawValue)"
        report.logs = [fetchLog, thumbLog]
        report.stages = [fetchReport, thumbReport]
        return report
    }

    /// The thumbnail stage over a folder's images.
    private func thumbnails(_ stage: ThumbnailStage, of paths: [String], _ context: RunContext, log: ItemLog) async -> StopReason? {
        let trace = StageTrace(.thumbnail, engine: stage.engine)
        let outcomes = await stage.engine.run(stage.workload, from: ListSource(paths), options: context.options(progress: batch.progress),
                                              onOutcome: { index, outcome in trace.job(outcome, ThumbnailStage.item(paths[index], outcome)) })
        for (index, outcome) in outcomes.enumerated() { log.append(ThumbnailStage.item(paths[index], outcome)) }
        return StopReason.of(outcomes)
    }

    /// The thumbnail stage over the downloads as they finish: each outcome goes to the log as
    /// it comes, and nothing grows with the run.
    private func thumbnails(_ stage: ThumbnailStage, from source: ChannelSource<String>, _ context: RunContext,
                            log: ItemLog) async -> StopReason? {
        var options = context.options(progress: thumbProgress)
        options.keepsOutcomes = false
        let firstStop = Locked<StopReason?>(nil)
        let trace = StageTrace(.thumbnail, engine: stage.engine)
        _ = await stage.engine.run(stage.workload, from: source, options: options, onOutcome: { index, outcome in
            if let reason = outcome.failure?.stopReason { firstStop.withLock { $0 = $0 ?? reason } }
            let item = ThumbnailStage.item(source.take(at: index) ?? "?", outcome)
            trace.job(outcome, item)
            log.append(item)
        })
        let stopped = firstStop.withLock { $0 } ?? context.stopReason
        for path in source.notTaken() { log.append(ThumbnailStage.item(path, .notStarted(stopped ?? .cancelled))) }
        return stopped
    }
}

/// What one run owns while it runs: its stop signal, clock, rate-limit gates and the usage of
/// its worker processes.
struct RunContext: Sendable {
    let batch: BatchOptions
    let stop = StopSignal()
    let gates: RateLimitGates
    let usage = WorkerUsage()
    private let startedAt = Date()
    private let start = ContinuousClock.now
    /// The handler on the parent signal that the run's stop follows.
    private let parentHandler: Int?

    init(batch: BatchOptions, gates: RateLimitGates) {
        self.batch = batch
        self.gates = gates
        parentHandler = batch.stop.map { [stop] in stop.follow($0) }
    }

    /// The run is over: its stop no longer follows the parent's.
    func end() {
        if let parent = batch.stop, let parentHandler { parent.removeHandler(parentHandler) }
    }

    /// The options of one stage's batch: the run's stop, the stage's progress, and the
    /// run's deadline as it stands when the batch starts.
    func options(progress: (@Sendable (BatchProgress) -> Void)?) -> BatchOptions {
        BatchOptions(timeout: deadlineLeft, stop: stop, progress: progress, grace: batch.grace, usage: usage)
    }

    /// What is left of the run's deadline (nil when it has none).
    var deadlineLeft: Duration? { batch.timeout.map { $0 - (ContinuousClock.now - start) } }

    /// Why the run stopped, if it did: its stop signal, or its deadline passing.
    var stopReason: StopReason? {
        if let reason = stop.reason { return reason }
        if let left = deadlineLeft, left <= .zero { return .timedOut }
        return nil
    }

    func timing() -> RunTiming { RunTiming(startedAt: startedAt, seconds: (ContinuousClock.now - start).seconds) }
}

/// When a run started and how long it took.
struct RunTiming: Sendable {
    let startedAt: Date
    let seconds: Double
}
