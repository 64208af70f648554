import Downloader
import Engines
import Thumbnailer

/// `run`: both stages streaming, on the run scaffold (each image is thumbnailed as soon as its
/// download completes; see `RunScaffold`).
package struct StreamingRun: Sendable {
    package var scaffold: RunScaffold

    package init(output: String, fetchEngine: Engine, thumbEngine: Engine, policy: DownloadPolicy = DownloadPolicy(),
                 thumbnailer: Thumbnailer = Thumbnailer(), bufferCapacity: Int? = nil, batch: BatchOptions = BatchOptions(),
                 thumbProgress: (@Sendable (BatchProgress) -> Void)? = nil) {
        scaffold = RunScaffold(download: DownloadStage(output: output, engine: fetchEngine, policy: policy),
                               thumbnails: ThumbnailStage(thumbnailer: thumbnailer, engine: thumbEngine),
                               batch: batch, thumbProgress: thumbProgress, bufferCapacity: bufferCapacity)
    }

    /// Runs the pipeline over `links`. The report's `stages` hold the fetch and thumbnail
    /// reports; its items are both stages' items.
    package func run(_ links: LinkSource.Links) async throws(PipelineError) -> RunReport {
        try await scaffold.run(.links(links))
    }

    /// Runs the pipeline over what `source` lists, as it lists it.
    package func run(listing source: LinkSource) async throws(PipelineError) -> RunReport {
        try await scaffold.run(.listing(source))
    }
}
