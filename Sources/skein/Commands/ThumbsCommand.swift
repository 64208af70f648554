import ArgumentParser
import Engines
import Foundation
import Pipeline
import Thumbnailer

extension ThumbnailBackend: ExpressibleByArgument {}

/// `skein thumbs DIR`: a thumbnail of every image in a folder, concurrently.
struct ThumbsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbs",
        abstract: "Make thumbnails of every jpg/png/gif in a folder, concurrently.",
        discussion: """
            Each image is fitted into the box (aspect ratio kept, never enlarged, EXIF orientation \
            applied, Lanczos-3) and saved as <stem>_thumbnail<suffix> beside it (or in \
            --thumbs-out). JPEGs are decoded at a reduced DCT scale with TurboJPEG, PNGs through \
            libdeflate, GIFs with giflib; libvips takes what those don't handle. Earlier thumbnails are never thumbnailed again. A corrupt or non-image \
            file gets a one-line error; the rest go on.
            """
    )

    @Argument(help: "Folder of images.")
    var folder: String

    @OptionGroup var thumbnail: ThumbnailOptions
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var page: PageOption

    @Option(help: "Write a JSON report of every item to this file.")
    var json: String?

    func validate() throws {
        try Validate.path(folder, "the folder")
        try Validate.path(json, "--json")
    }

    mutating func run() async throws {
        try output.start()
        defer { output.finish() }
        let stop = Interrupt.install()
        let progress = ProgressLine("thumbs")
        var thumbs = Thumbs(thumbnailer: try thumbnail.thumbnailer(),
                            engine: engineOptions.engine(default: .threads, workers: ProcessInfo.processInfo.activeProcessorCount),
                            batch: BatchOptions(timeout: engineOptions.timeoutDuration, stop: stop, progress: progress.handler()))
        thumbs.contactSheet = page.path(in: thumbnail.thumbsOut ?? folder)
        let report: RunReport
        do { report = try await thumbs.run(folder: folder) } catch { throw Report.fail(error) }
        progress.finish()
        try Report.finish(report, lines: [Summary.thumbsLine(report)], json: json)
    }
}

/// What thumbnails look like.
struct ThumbnailOptions: ParsableArguments {
    @Option(help: "The box thumbnails fit in, WxH.")
    var size = "128x128"

    @Option(name: .customLong("thumbs-out"), help: "Put thumbnails in this folder instead of beside their originals.")
    var thumbsOut: String?

    @Option(help: "Refuse images with more pixels than this (decompression bombs).")
    var maxPixels = 100_000_000

    @Option(help: "direct (TurboJPEG, libdeflate, giflib; libvips for what they don't handle) or libvips.")
    var backend: ThumbnailBackend = .direct

    func validate() throws {
        guard ThumbnailSpec(box: size) != nil else { throw ValidationError("--size must be WxH, like 128x128") }
        try Validate.range(maxPixels, "--max-pixels", 1...(1 << 40))
        try Validate.path(thumbsOut, "--thumbs-out")
    }

    func thumbnailer() throws -> Thumbnailer {
        guard let spec = ThumbnailSpec(box: size, maxPixels: maxPixels) else { throw ValidationError("--size must be WxH") }
        return Thumbnailer(spec: spec, outputDirectory: thumbsOut, backend: backend)
    }
}
