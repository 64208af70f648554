import Basics
import Downloader
import Engines
import ImgurAPI

/// Where a run's links come from: a list already read, or a source listing them as the run
/// goes.
enum Feed: Sendable {
    case links(LinkSource.Links)
    case listing(LinkSource)

    /// Hands every link to `emit` in listing order; `emit` returning false ends a source's
    /// listing (a list already read goes on: its links are known, and each gets its item).
    func list(emit: (ImageLink) async -> Bool) async throws(PipelineError) -> LinkSource.Listing {
        switch self {
        case .links(let links):
            for link in links.links { _ = await emit(link) }
            return links.listing
        case .listing(let source):
            return try await source.list(emit: emit)
        }
    }
}

extension RunScaffold {
    /// Links asked of the archive at once, at most.
    private static let archiveBatch = 256

    private static func list(_ feed: Feed, emit: (ImageLink) async -> Bool) async -> Result<LinkSource.Listing, PipelineError> {
        do throws(PipelineError) { return .success(try await feed.list(emit: emit)) } catch { return .failure(error) }
    }

    /// The download stage, streaming: the listing feeds a planner (stems, what the folder has
    /// already) that feeds the engine through a bounded channel, and each outcome goes to
    /// `log` as it comes. Finished files (and the ones an earlier run completed) go to `sink`,
    /// which is closed at the end. Items whose transient failures used up their budget get a
    /// second pass after the rest (the server may have recovered meanwhile). Whatever the
    /// listing handed over and never ran (the run stopped) is reported as not started.
    ///
    /// Nothing here grows with the listing: the channels are bounded, the engine keeps no
    /// outcomes, the source forgets each request once its outcome is in.
    func downloads(_ feed: Feed, _ stage: DownloadStage, _ context: RunContext, log: ItemLog,
                   sink: BoundedChannel<String>?) async throws(PipelineError) -> (listing: LinkSource.Listing, stopped: StopReason?) {
        defer { sink?.close() }
        let plan = try stage.plan()
        let requests = BoundedChannel<DownloadRequest>(capacity: 256)
        let output = stage.output
        let firstStop = Locked<StopReason?>(nil)
        /// Requests whose transient failures used up their budget, with that outcome.
        let secondPass = Locked<[(DownloadRequest, JobOutcome<DownloadResult>)]>([])
        let archive = self.archive
        /// Links the archive had already, said in the listing's skipped items.
        let archived = Locked<[SkippedItem]>([])

        /// Plans a link and hands it to the engine; false once the engine takes no more (the
        /// link is then reported as not started).
        let admit = { @Sendable (link: ImageLink) async -> Bool in
            switch plan.plan(link) {
            case .done(let result, let request):
                archive?.add(link.archiveKey, file: result.file)
                log.append(plan.item(request, JobOutcome(result: .success(result), seconds: 0, worker: nil)))
                if let sink { _ = await sink.send(output + "/" + result.file) }
                return true
            case .fetch(let request):
                if context.stopReason == nil, await requests.send(request) { return true }
                log.append(plan.item(request, .notStarted(context.stopReason ?? .cancelled)))
                return false
            }
        }
        let skipArchived = { @Sendable (link: ImageLink) in
            archived.withLock { $0.append(SkippedItem(item: link.url, cause: .archived, reason: "downloaded before (--archive)")) }
        }

        // The listing and the planner, as fast as the engine takes requests. With an archive,
        // a second task between them asks it about every link waiting, in one query.
        async let listed: Result<LinkSource.Listing, PipelineError> = {
            defer { requests.close() }
            guard let archive else { return await Self.list(feed, emit: admit) }
            let waiting = BoundedChannel<ImageLink>(capacity: Self.archiveBatch)
            async let checked: Void = {
                while let batch = await waiting.receive(upTo: Self.archiveBatch) {
                    let known = await archive.known(batch.map(\.archiveKey))
                    for (index, link) in batch.enumerated() {
                        if known.contains(link.archiveKey) { skipArchived(link); continue }
                        guard await admit(link) else {
                            // The engine stopped: every other link gets its item too.
                            for rest in batch.dropFirst(index + 1) {
                                if known.contains(rest.archiveKey) { skipArchived(rest) } else { _ = await admit(rest) }
                            }
                            for rest in waiting.cancel() { _ = await admit(rest) }
                            return
                        }
                    }
                }
            }()
            let result = await Self.list(feed) { link in
                guard await waiting.send(link) else {
                    _ = await admit(link) // the checker stopped taking links: reported as not started
                    return false
                }
                return true
            }
            waiting.close()
            await checked
            return result
        }()

        let source = ChannelSource(requests)
        let workload = stage.workload(gates: context.gates)
        var options = context.options(progress: batch.progress)
        options.keepsOutcomes = false
        let trace = StageTrace(.download, engine: stage.engine)
        _ = await stage.engine.run(workload, from: source, options: options, onOutcome: { position, outcome in
            guard let request = source.take(at: position) else { return }
            if let reason = outcome.failure?.stopReason { firstStop.withLock { $0 = $0 ?? reason } }
            if outcome.failure?.transient == true {
                trace.job(outcome, plan.item(request, outcome))
                secondPass.withLock { $0.append((request, outcome)) }
                return
            }
            Self.settle(request, outcome, plan: plan, log: log, sink: sink, output: output, archive: archive, trace: trace)
        })
        // The engine stopped taking requests: a planner still sending gets false and ends.
        source.stopWaiting()
        let listing = await listed
        let stopped = firstStop.withLock { $0 } ?? context.stopReason
        for request in source.notTaken() { log.append(plan.item(request, .notStarted(stopped ?? .cancelled))) }

        let again = secondPass.withLock { $0 }
        if !again.isEmpty, stopped == nil {
            var options = context.options(progress: nil)
            options.keepsOutcomes = true
            let retried = await stage.engine.run(workload, from: ListSource(again.map(\.0)), options: options)
            for (position, (request, _)) in again.enumerated() {
                Self.settle(request, retried[position], plan: plan, log: log, sink: sink, output: output, archive: archive, trace: trace)
            }
        } else {
            for (request, outcome) in again { log.append(plan.item(request, outcome)) }
        }
        if let problem = plan.finish() { log.append(ItemReport(item: "metadata.jsonl", bytes: 0, status: .failed,
                                                                error: ItemReport.Failure(code: "write-failed", message: problem), seconds: 0)) }
        if let archive, let problem = await archive.flush() {
            log.append(ItemReport(item: "archive", bytes: 0, status: .failed, error: ItemReport.Failure(code: "archive-failed", message: problem), seconds: 0))
        }
        var result = try listing.get()
        result.skipped += archived.withLock { $0 }
        return (result, stopped ?? context.stopReason)
    }

    /// One request's final outcome: recorded in the manifest when it succeeded, handed to the
    /// thumbnails, reported.
    private static func settle(_ request: DownloadRequest, _ outcome: JobOutcome<DownloadResult>, plan: FetchPlan, log: ItemLog,
                               sink: BoundedChannel<String>?, output: String, archive: (any DownloadArchive)?, trace: StageTrace) {
        let item = plan.item(request, outcome)
        trace.job(outcome, item)
        if let result = outcome.output {
            plan.record(result, for: request)
            archive?.add(ImageLink.archiveKey(id: request.id, url: request.url), file: result.file)
            if let sink {
                let start = ContinuousClock.now
                _ = sink.sendBlocking(output + "/" + result.file)
                trace.waited(since: start, worker: outcome.worker)
            }
        }
        log.append(item)
    }
}
