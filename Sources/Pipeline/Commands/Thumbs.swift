import Engines
import Thumbnailer

/// `thumbs`: the thumbnail stage alone over a folder, on the run scaffold.
package struct Thumbs: Sendable {
    package var stage: ThumbnailStage
    package var batch: BatchOptions

    package init(thumbnailer: Thumbnailer, engine: Engine, batch: BatchOptions = BatchOptions()) {
        stage = ThumbnailStage(thumbnailer: thumbnailer, engine: engine)
        self.batch = batch
    }

    /// Makes a thumbnail of every image in `folder`.
    package func run(folder: String) async throws(PipelineError) -> RunReport {
        try await RunScaffold(thumbnails: stage, batch: batch).run(.folder(folder))
    }
}
