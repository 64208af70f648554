import Basics
import Downloader
import Engines
import Foundation
import SafeFiles

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
        /// Links to download (then thumbnail, with both stages).
        case links(LinkSource.Links)
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

    package init(download: DownloadStage? = nil, thumbnails: ThumbnailStage? = nil, batch: BatchOptions = BatchOptions(),
                 thumbProgress: (@Sendable (BatchProgress) -> Void)? = nil, bufferCapacity: Int? = nil) {
        self.download = download
        self.thumbnails = thumbnails
        self.batch = batch
        self.thumbProgress = thumbProgress
        self.bufferCapacity = max(1, bufferCapacity ?? Self.defaultBufferCapacity)
    }

    /// Runs the stages over `input`. With both stages the report's `stages` hold the download
    /// and thumbnail reports and its items are both stages' items.
    /// - Throws: `PipelineError` when a folder can't be prepared or read, or the stages don't
    ///   fit the input.
    package func run(_ input: Input) async throws(PipelineError) -> RunReport {
        try download?.prepare()
        try thumbnails?.prepare()
        let context = RunContext(batch: batch)
        defer { context.end() }
        var report: RunReport
        switch (input, download, thumbnails) {
        case (.links(let links), let download?, nil):
            let fetched = await downloads(links, download, context, sink: nil)
            report = download.report(links, items: fetched.items, timing: context.timing(), stopped: fetched.stopped)
        case (.folder(let folder), nil, let thumbnails?):
            let paths = try ThumbnailStage.sources(in: folder)
            let made = await self.thumbnails(thumbnails, from: ListSource(paths), path: { paths[$0] }, context, progress: batch.progress)
            report = thumbnails.report(source: folder, originals: folder, items: made.items, timing: context.timing(), stopped: made.stopped)
        case (.links(let links), let download?, let thumbnails?):
            report = await stream(links, download, thumbnails, context)
        default:
            throw PipelineError(.configuration, "a run takes links with a download stage, or a folder with a thumbnail stage alone")
        }
        if let download { TemporaryFiles.sweep(download.output) }
        report.rateLimitWaitSeconds = download == nil ? nil : context.gates.pausedSeconds
        report.peakMemoryBytes = context.usage.peakBytesIncludingWorkers
        return report
    }

    /// Both stages at once, with the bounded buffer between them.
    private func stream(_ links: LinkSource.Links, _ download: DownloadStage, _ thumbnails: ThumbnailStage,
                        _ context: RunContext) async -> RunReport {
        let buffer = BoundedChannel<String>(capacity: bufferCapacity)
        let downloaded = ChannelSource(buffer)
        async let made = self.thumbnails(thumbnails, from: downloaded, path: { downloaded.input(at: $0) ?? "?" }, context,
                                         progress: thumbProgress)
        let fetched = await downloads(links, download, context, sink: buffer)
        let thumbs = await made
        let timing = context.timing()
        let stopped = fetched.stopped ?? thumbs.stopped
        let fetchReport = download.report(links, items: fetched.items, timing: timing, stopped: stopped)
        let thumbReport = thumbnails.report(source: download.output, originals: download.output, items: thumbs.items,
                                            timing: timing, stopped: stopped)
        var report = fetchReport
        report.command = "run"
        report.engine = "\(download.engine.kind.rawValue)+\(thumbnails.engine.kind.rawValue)"
        report.items = fetched.items + thumbs.items
        report.stages = [fetchReport, thumbReport]
        return report
    }

    /// The download stage over the links still to fetch; each finished file (and each one an
    /// earlier run completed) goes to `sink`, which is closed at the end.
    private func downloads(_ links: LinkSource.Links, _ stage: DownloadStage, _ context: RunContext,
                           sink: BoundedChannel<String>?) async -> (items: [ItemReport], stopped: StopReason?) {
        let plan = ResumePlan(links: links.links, folder: stage.output)
        let output = stage.output
        if let sink {
            for index in plan.done.keys.sorted() { await sink.send(output + "/" + plan.done[index]!.file) }
        }
        let pending = plan.pending
        let workload = stage.workload(gates: context.gates)
        func fetch(_ indexes: [Int], progress: (@Sendable (BatchProgress) -> Void)?) async -> [JobOutcome<DownloadResult>] {
            await stage.engine.run(
                workload, from: ListSource(indexes.map { plan.requests[$0] }),
                options: context.options(progress: progress),
                onOutcome: { position, outcome in
                    guard let result = outcome.output else { return }
                    plan.record(result, for: indexes[position])
                    sink?.sendBlocking(output + "/" + result.file)
                })
        }
        var outcomes = await fetch(pending, progress: batch.progress)
        // A second pass, after the rest of the batch, for the items whose transient failures
        // used up their budget: the server may have recovered meanwhile.
        let again = outcomes.indices.filter { outcomes[$0].failure?.transient == true }
        if !again.isEmpty, !context.stop.isStopped, context.deadlineLeft.map({ $0 > .zero }) ?? true {
            let retried = await fetch(again.map { pending[$0] }, progress: nil)
            for (position, index) in again.enumerated() { outcomes[index] = retried[position] }
        }
        sink?.close()
        return (plan.items(links.links, outcomes: outcomes), StopReason.of(outcomes))
    }

    /// The thumbnail stage over `source`; `path` names the input of an index.
    private func thumbnails<S: JobSource<String>>(_ stage: ThumbnailStage, from source: S, path: (Int) -> String,
                                                  _ context: RunContext, progress: (@Sendable (BatchProgress) -> Void)?)
        async -> (items: [ItemReport], stopped: StopReason?) {
        let outcomes = await stage.engine.run(stage.workload, from: source, options: context.options(progress: progress))
        return (outcomes.indices.map { ThumbnailStage.item(path($0), outcomes[$0]) }, StopReason.of(outcomes))
    }
}

/// What one run owns while it runs: its stop signal, clock, rate-limit gates and the usage of
/// its worker processes.
struct RunContext: Sendable {
    let batch: BatchOptions
    let stop = StopSignal()
    let gates = RateLimitGates()
    let usage = WorkerUsage()
    private let startedAt = Date()
    private let start = ContinuousClock.now
    /// The handler on the parent signal that the run's stop follows.
    private let parentHandler: Int?

    init(batch: BatchOptions) {
        self.batch = batch
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

    func timing() -> RunTiming { RunTiming(startedAt: startedAt, seconds: (ContinuousClock.now - start).seconds) }
}

/// When a run started and how long it took.
struct RunTiming: Sendable {
    let startedAt: Date
    let seconds: Double
}
