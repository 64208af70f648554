import ArgumentParser
import Basics
import Downloader
import Engines
import Foundation
import ImgurAPI
import Jobs
import Pipeline

/// `skein job work NAME`: one worker; run as many as you like, on as many machines.
struct JobWorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Fetch a job's shards, one claimed shard at a time, until none is left.",
        discussion: """
            Claims a shard with a lease (renewed every third of it), runs it through the pipeline \
            (downloads, with --thumbs thumbnails too), records each item as it completes and claims \
            the next. Exits when the job has no ready or leased shard left: 0 when every item \
            succeeded, 1 when some failed; --wait keeps waiting for new shards. Ctrl-C releases \
            the shard (exit 130). Workers can share one --out folder.
            """
    )

    @Argument(help: "The job's name.")
    var name: String
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var download: DownloadOptions
    @OptionGroup var thumbnail: ThumbnailOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Make thumbnails too, as each download completes.")
    var thumbs = false
    @Option(help: "Downloads in flight.")
    var fetchWorkers = 16
    @Option(help: "Engine for the downloads.")
    var fetchEngine: EngineKind = .async
    @Option(help: "Thumbnails made at once (default: the number of cores).")
    var thumbWorkers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Seconds a claimed shard stays this worker's without a heartbeat.")
    var lease = 30.0
    @Flag(help: "Keep waiting for new shards when the job has none left.")
    var wait = false
    @Option(help: "Write what this worker did as JSON to this file (shards, items, time in the store, peak memory).")
    var json: String?

    func validate() throws {
        try JobName.validate(name)
        try Validate.range(fetchWorkers, "--fetch-workers", 1...1024)
        try Validate.range(thumbWorkers, "--thumb-workers", 1...1024)
        try Validate.range(lease, "--lease", 1...86_400)
        try Validate.path(json, "--json")
    }

    mutating func run() async throws {
        try output.start()
        defer { output.finish() }
        let store = try await storeOptions.open()
        let definition: JobDefinition
        do throws(JobStoreError) { definition = try await store.definition(name) } catch {
            await store.close()
            throw StoreFailure.exit(error)
        }
        let stop = Interrupt.install()
        var scaffold: RunScaffold
        do { scaffold = try self.scaffold(definition, stop: stop) } catch {
            await store.close()
            throw error
        }
        let progress = ProgressLine("shard", "job")
        progress.untimed(0)
        let jobBefore = Locked<JobStatus.Items?>(nil)
        if progress.isEnabled {
            scaffold.batch.progress = { shard in
                progress.update(0, shard)
                guard let before = jobBefore.withLock({ $0 }) else { return }
                progress.update(1, BatchProgress(total: before.total, finished: before.done + before.failed + shard.finished,
                                                 failed: before.failed + shard.failed, bytes: before.bytes + shard.bytes))
            }
        }
        var worker = JobWorker(store: store, job: name, scaffold: scaffold, stop: stop)
        let jobName = name
        let started = Locked(false)
        if progress.isEnabled {
            worker.onClaim = { @Sendable claim in
                guard let items = try? await store.items(jobName) else { return }
                jobBefore.withLock { $0 = items }
                progress.restart(0, label: "shard \(claim.shard)")
                if !started.withLock({ let was = $0; $0 = true; return was }) {
                    progress.restart(1, label: "job", baseline: items.done + items.failed)
                }
                progress.update(1, BatchProgress(total: items.total, finished: items.done + items.failed,
                                                 failed: items.failed, bytes: items.bytes), force: true)
            }
        }
        worker.lease = lease
        worker.wait = wait
        worker.say = { line in
            progress.finish()
            Console.error(line)
        }
        Console.error("worker \(worker.worker.id): job \(name) in \(store.address), lease \(Int(lease)) s")
        let worked: JobWorker.Worked
        let status: JobStatus
        do throws(JobStoreError) {
            worked = try await worker.run()
            status = try await store.status(name)
        } catch {
            await store.close()
            throw StoreFailure.exit(error)
        }
        await store.close()
        progress.finish()
        let lost = worked.lostLeases > 0 ? ", \(worked.lostLeases) lease\(worked.lostLeases == 1 ? "" : "s") lost" : ""
        Console.out("worker: \(worked.shards) shard\(worked.shards == 1 ? "" : "s"), \(worked.done) done, \(worked.failed) failed\(lost) "
            + "in \(String(format: "%.1f", worked.seconds)) s (\(String(format: "%.2f", worked.storeSeconds)) s in the store)")
        Console.out(JobStatusCommand.itemsLine(status))
        for problem in worked.problems { Console.out("  \(problem)") }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            do { try encoder.encode(worked).write(to: URL(fileURLWithPath: json)) } catch {
                Console.error("error: cannot write \(json): \(error.localizedDescription)")
                throw ExitCode(.usage)
            }
        }
        if worked.stopped {
            Console.out("stopped: interrupted (the shard was released)")
            throw ExitCode(.interrupted)
        }
        if status.items.failed > 0 || status.shards.failed > 0 || !worked.problems.isEmpty { throw ExitCode(.someFailed) }
    }

    /// The pipeline each shard goes through: the job's names and types, this worker's widths.
    private func scaffold(_ definition: JobDefinition, stop: StopSignal) throws -> RunScaffold {
        var scaffold = RunScaffold(batch: BatchOptions(stop: stop))
        var stage = DownloadStage(output: download.out, engine: Engine(fetchEngine, workers: fetchWorkers),
                                  policy: try download.policy(types: definition.spec.types.isEmpty ? LinkExtractor.allKinds : Set(definition.spec.types),
                                                              maxPixels: thumbnail.maxPixels))
        try download.apply(to: &stage)
        // The job's own choices win: every worker names and describes the files alike.
        if let template = definition.spec.name { stage.naming = try DownloadOptions.template(template) }
        stage.writesMetadata = stage.writesMetadata || definition.spec.writeMetadata
        scaffold.download = stage
        if thumbs {
            scaffold.thumbnails = ThumbnailStage(thumbnailer: try thumbnail.thumbnailer(), engine: Engine(.threads, workers: thumbWorkers))
        }
        return scaffold
    }
}
