import Engines
import Thumbnailer

/// `thumbs`: the thumbnail stage alone over a folder, on the run scaffold.
package struct Thumbs: Sendable {
    package var stage: ThumbnailStage
    package var batch: BatchOptions
    /// The contact sheet's path (`--html`).
    package var contactSheet: String?

    package init(thumbnailer: Thumbnailer, engine: Engine, batch: BatchOptions = BatchOptions()) {
        stage = ThumbnailStage(thumbnailer: thumbnailer, engine: engine)
        self.batch = batch
    }

    /// Makes a thumbnail of every image in `folder`.
    package func run(folder: String) async throws(PipelineError) -> RunReport {
        var scaffold = RunScaffold(thumbnails: stage, batch: batch)
        scaffold.contactSheet = contactSheet
        return try await scaffold.run(.folder(folder))
    }
}
