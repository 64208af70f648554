import ArgumentParser
import Engines
import Foundation
import Jobs
import Pipeline

/// `skein run`: fetch and thumbnails as one streaming pipeline.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fetch and make thumbnails as one streaming pipeline.",
        discussion: """
            Each image is thumbnailed as soon as its download completes. The two stages have their \
            own engines and widths, with a bounded buffer of finished files between them, so \
            memory stays flat however long the gallery is. Example: \
            skein run --fetch-engine async --fetch-workers 64 --thumb-engine threads --thumb-workers 2
            """
    )

    @OptionGroup var source: SourceOptions
    @OptionGroup var download: DownloadOptions
    @OptionGroup var thumbnail: ThumbnailOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var page: PageOption

    @Option(help: "Engine for the downloads.")
    var fetchEngine: EngineKind = .async
    @Option(help: "Downloads in flight.")
    var fetchWorkers = 16
    @Option(help: "Engine for the thumbnails.")
    var thumbEngine: EngineKind = .threads
    @Option(help: "Thumbnails made at once (default: the number of cores).")
    var thumbWorkers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Finished downloads that may wait for a thumbnail worker (default: 1024).")
    var buffer: Int?
    @Option(help: "Whole-run deadline in seconds.")
    var timeout: Double?
    @Option(help: "With a processes engine: replace a worker process after this many jobs.")
    var maxTasksPerChild: Int?
    @Option(help: "Write a JSON report of both stages to this file.")
    var json: String?

    func validate() throws {
        try Validate.range(fetchWorkers, "--fetch-workers", 1...1024)
        try Validate.range(thumbWorkers, "--thumb-workers", 1...1024)
        try Validate.range(buffer, "--buffer", 1...1_000_000)
        try Validate.seconds(timeout, "--timeout")
        try Validate.range(maxTasksPerChild, "--max-tasks-per-child", 1...1_000_000)
        try Validate.path(json, "--json")
    }

    mutating func run() async throws {
        let links = try source.linkSource()
        if source.printLinks { return try await PrintLinks.run(links) }
        try output.start()
        defer { output.finish() }
        let stop = Interrupt.install()
        let progress = ProgressLine("fetch", "thumbs")
        progress.follow(1)
        let processes = ProcessPoolConfiguration(maxTasksPerChild: maxTasksPerChild)
        var pipeline = StreamingRun(
            output: download.out,
            fetchEngine: Engine(fetchEngine, workers: fetchWorkers, processes: processes),
            thumbEngine: Engine(thumbEngine, workers: thumbWorkers, processes: processes),
            policy: try download.policy(types: source.typeSet(), maxPixels: thumbnail.maxPixels),
            thumbnailer: try thumbnail.thumbnailer(), bufferCapacity: buffer,
            batch: BatchOptions(timeout: timeout.map { .seconds($0) }, stop: stop, progress: progress.handler(0)))
        pipeline.scaffold.thumbProgress = progress.handler(1)
        pipeline.scaffold.contactSheet = page.path(in: download.out)
        if var stage = pipeline.scaffold.download {
            try download.apply(to: &stage)
            pipeline.scaffold.download = stage
        }
        let archive = try await download.openArchive()
        pipeline.scaffold.archive = archive
        let report: RunReport
        do { report = try await pipeline.run(listing: links) } catch {
            await archive?.close()
            throw Report.fail(error)
        }
        await archive?.close()
        progress.finish()
        try Report.finish(report, lines: Summary.runLines(report), json: json)
    }
}
