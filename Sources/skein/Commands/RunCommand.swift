import ArgumentParser
import Engines
import Foundation
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
        if !(1...1024).contains(fetchWorkers) || !(1...1024).contains(thumbWorkers) {
            throw ValidationError("--fetch-workers and --thumb-workers must be between 1 and 1024")
        }
        if let buffer, buffer < 1 { throw ValidationError("--buffer must be at least 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    mutating func run() async throws {
        let links = try await source.load()
        let stop = Interrupt.install()
        let fetchProgress = ProgressLine("fetch")
        let processes = ProcessPoolConfiguration(maxTasksPerChild: maxTasksPerChild)
        let pipeline = StreamingRun(
            output: download.out,
            fetchEngine: Engine(fetchEngine, workers: fetchWorkers, processes: processes),
            thumbEngine: Engine(thumbEngine, workers: thumbWorkers, processes: processes),
            policy: try download.policy(types: source.typeSet()),
            thumbnailer: try thumbnail.thumbnailer(), bufferCapacity: buffer,
            batch: BatchOptions(timeout: timeout.map { .milliseconds(Int64($0 * 1000)) }, stop: stop, progress: fetchProgress.handler))
        let report: RunReport
        do { report = try await pipeline.run(links) } catch { throw Report.fail(error) }
        fetchProgress.finish()
        let lines = Summary.runLines(report)
        for line in lines.dropLast() { Console.out(line) }
        try Report.finish(report, line: lines.last!, json: json)
    }
}
