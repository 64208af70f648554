import ArgumentParser
import Engines
import Foundation
import GalleryServer
import ImgurAPI
import Pipeline
import Thumbnailer

/// `skein demo`: the embedded gallery, a concurrent fetch and concurrent thumbnails, in one go.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve a generated gallery on loopback, fetch it all, and make thumbnails (offline).",
        discussion: "The whole job, end to end, against the embedded server: no network or Client-ID needed."
    )

    @OptionGroup var gallery: GalleryOptions

    @Option(help: "Output folder.")
    var out = "./images"

    @Option(help: "Downloads in flight.")
    var fetchWorkers = 16

    @Option(help: "Thumbnail workers (default: the number of cores).")
    var thumbWorkers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Engine for the downloads.")
    var fetchEngine: EngineKind = .async

    @Option(help: "Engine for the thumbnails.")
    var thumbEngine: EngineKind = .threads

    @Option(help: "Write a JSON report of both stages to this file.")
    var json: String?

    func validate() throws {
        try Validate.range(fetchWorkers, "--fetch-workers", 1...1024)
        try Validate.range(thumbWorkers, "--thumb-workers", 1...1024)
        try Validate.path(out, "--out")
        try Validate.path(json, "--json")
    }

    mutating func run() async throws {
        let corpus = try gallery.corpus()
        Console.out(gallery.corpusLine(corpus))
        let server = GalleryServer(corpus: corpus, options: gallery.serverOptions())
        let stop = Interrupt.install()
        let (fetchProgress, thumbProgress) = (ProgressLine("fetch"), ProgressLine("thumbs"))
        let fetch = Fetch(output: out, engine: Engine(fetchEngine, workers: fetchWorkers),
                          batch: BatchOptions(stop: stop, progress: fetchProgress.handler()))
        let thumbs = Thumbs(thumbnailer: Thumbnailer(), engine: Engine(thumbEngine, workers: thumbWorkers),
                            batch: BatchOptions(stop: stop, progress: thumbProgress.handler()))
        let (fetched, made) = try await server.withRunning { url in
            Console.out("Gallery server listening at \(url)")
            let source = LinkSource.api(base: url, clientID: ClientID("skein-demo"), sources: [.gallery(section: "hot", sort: "viral", window: "day")],
                                        limit: corpus.images.count, extractor: LinkExtractor())
            let fetched: RunReport, made: RunReport
            do throws(PipelineError) { fetched = try await fetch.run(try await source.load()) } catch { throw Report.fail(error) }
            fetchProgress.finish()
            Console.out(Summary.fetchLine(fetched))
            for line in Summary.failureLines(fetched) + Summary.skippedLines(fetched) { Console.out(line) }
            do throws(PipelineError) { made = try await thumbs.run(folder: fetch.stage.output) } catch { throw Report.fail(error) }
            thumbProgress.finish()
            return (fetched, made)
        }
        var combined = fetched
        combined.command = "demo"
        combined.stages = [fetched, made]
        combined.stopped = fetched.stopped ?? made.stopped
        if let json { try Report.write(combined, to: json) }
        try Report.finish(made, lines: [Summary.thumbsLine(made)], json: nil)
        if fetched.exitStatus != .success { throw ExitCode(fetched.exitStatus) }
    }
}
