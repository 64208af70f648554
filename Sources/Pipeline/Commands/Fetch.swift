import Downloader
import Engines

/// `fetch`: the download stage alone, on the run scaffold.
package struct Fetch: Sendable {
    package var stage: DownloadStage
    package var batch: BatchOptions
    /// Links downloaded before are skipped (`--archive`).
    package var archive: (any DownloadArchive)?
    /// The contact sheet's path (`--html`).
    package var contactSheet: String?

    package init(output: String, engine: Engine, policy: DownloadPolicy = DownloadPolicy(), batch: BatchOptions = BatchOptions()) {
        stage = DownloadStage(output: output, engine: engine, policy: policy)
        self.batch = batch
    }

    /// Downloads `links`; one report item per link, in the order they finish. Items the
    /// folder's manifest shows complete and intact are not downloaded again; damaged ones are
    /// repaired.
    package func run(_ links: LinkSource.Links) async throws(PipelineError) -> RunReport {
        try await scaffold.run(.links(links))
    }

    /// Downloads what `source` lists, as it lists it: the first downloads start with the
    /// first page, and a listing of any length is never all in memory.
    package func run(listing source: LinkSource) async throws(PipelineError) -> RunReport {
        try await scaffold.run(.listing(source))
    }

    private var scaffold: RunScaffold {
        var scaffold = RunScaffold(download: stage, batch: batch)
        scaffold.archive = archive
        scaffold.contactSheet = contactSheet
        return scaffold
    }
}
