import Engines
import Foundation
import Thumbnailer

/// The thumbnail stage: one image path → one thumbnail, on its engine.
package struct ThumbnailStage: Sendable {
    package var thumbnailer: Thumbnailer
    package var engine: Engine

    package init(thumbnailer: Thumbnailer, engine: Engine) {
        self.thumbnailer = thumbnailer
        self.engine = engine
    }

    /// Makes the thumbnail folder (when it is not the originals' folder), and starts libvips
    /// first when it makes every thumbnail, so a missing library is one configuration error
    /// rather than a failure per image. The direct backend loads it only if a file needs it
    /// (about 40 ms and 17 MB that most runs never pay).
    func prepare() throws(PipelineError) {
        if let folder = thumbnailer.outputDirectory { try Folder.prepare(folder) }
        guard thumbnailer.backend == .libvips else { return }
        do { try Vips.start() } catch { throw PipelineError(.configuration, "libvips did not start: \(error.message)") }
    }

    var workload: ThumbnailWorkload { ThumbnailWorkload(thumbnailer: thumbnailer) }

    /// The images of `folder` that need thumbnails.
    static func sources(in folder: String) throws(PipelineError) -> [String] {
        do { return try ImageFolder.images(in: folder) } catch { throw PipelineError(.configuration, error.description) }
    }

    /// Where the thumbnails go, as the report names it: `FOLDER/*_thumbnail.*`.
    func outputPattern(originals: String) -> String {
        (thumbnailer.outputDirectory ?? originals) + "/*\(Thumbnailer.marker).*"
    }

    /// The stage's report from its items.
    func report(source: String, originals: String, log: ItemLog, timing: RunTiming, stopped: StopReason?) -> RunReport {
        RunReport(command: "thumbs", engine: engine.kind.rawValue, workers: engine.workers, source: source,
                  output: outputPattern(originals: originals), startedAt: timing.startedAt, seconds: timing.seconds,
                  log: log, skipped: [], stopped: stopped, rateLimit: nil, stages: nil)
    }

    /// One image's report item.
    static func item(_ path: String, _ outcome: JobOutcome<ThumbnailResult>) -> ItemReport {
        switch outcome.result {
        case .success(let result):
            return ItemReport(item: path, id: nil, source: nil, file: result.output, bytes: result.bytes, status: .thumbnailed,
                              error: nil, seconds: outcome.seconds, attempts: nil, crc32: nil,
                              width: result.width, height: result.height, note: result.note)
        case .failure(let failure):
            return ItemReport(item: path, id: nil, source: nil, file: nil, bytes: 0, status: .failed,
                              error: .init(failure, item: path), seconds: outcome.seconds, attempts: nil, crc32: nil)
        }
    }
}
