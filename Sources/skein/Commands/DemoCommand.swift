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

    mutating func run() async throws {
        let corpus = try gallery.corpus()
        Console.out(gallery.corpusLine(corpus))
        let server = GalleryServer(corpus: corpus, options: gallery.serverOptions())
        let stop = Interrupt.install()
        let (out, fetchWorkers, thumbWorkers, fetchEngine, thumbEngine) = (out, fetchWorkers, thumbWorkers, fetchEngine, thumbEngine)
        let reports = try await server.withRunning { url in
            Console.out("Gallery server listening at \(url)")
            let source = LinkSource.api(base: url, clientID: ClientID("skein-demo"), selection: .gallery(section: "hot", sort: "viral", window: "day"),
                                        limit: corpus.images.count, extractor: LinkExtractor())
            let links = try await source.load()
            let fetchProgress = ProgressLine("fetch")
            let fetch = Fetch(output: out, engine: Engine(fetchEngine, workers: fetchWorkers),
                              batch: BatchOptions(stop: stop, progress: fetchProgress.handler))
            let fetched = try await fetch.run(links)
            fetchProgress.finish()
            Console.out(Summary.fetchLine(fetched))
            for line in Summary.failureLines(fetched) { Console.out(line) }

            let thumbProgress = ProgressLine("thumbs")
            let thumbs = Thumbs(thumbnailer: Thumbnailer(), engine: Engine(thumbEngine, workers: thumbWorkers),
                                batch: BatchOptions(stop: stop, progress: thumbProgress.handler))
            let made = try await thumbs.run(folder: out)
            thumbProgress.finish()
            return (fetched, made)
        }
        let (fetched, made) = reports
        var combined = fetched
        combined.command = "demo"
        combined.stages = [fetched, made]
        try Report.finish(made, line: Summary.thumbsLine(made), json: nil)
        if let json { try Report.write(combined, to: json) }
        if fetched.exitStatus != ExitStatus.success { throw ExitCode(fetched.exitStatus) }
    }
}
