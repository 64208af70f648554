import Downloader
import Engines
import Foundation
import ImgurAPI
import SafeFiles

/// The download stage: one link → one file in the output folder, on its engine. It plans what
/// an earlier run in the folder left (see `FetchPlan`) and records each finished file in the
/// folder's manifest.
package struct DownloadStage: Sendable {
    package var output: String
    package var engine: Engine
    package var policy: DownloadPolicy
    /// `--name`: where each file goes in the folder (nil: its Imgur id or link's name).
    package var naming: NameTemplate?
    /// `--write-metadata`: a JSON sidecar beside each file, and `metadata.jsonl`.
    package var writesMetadata = false

    package init(output: String, engine: Engine, policy: DownloadPolicy = DownloadPolicy(), naming: NameTemplate? = nil,
                 writesMetadata: Bool = false) {
        self.output = output
        self.engine = engine
        self.policy = policy
        self.naming = naming
        self.writesMetadata = writesMetadata
    }

    /// The plan of a run in the folder (prepared already).
    func plan() throws(PipelineError) -> FetchPlan {
        FetchPlan(folder: output, naming: naming, sidecars: writesMetadata ? try Sidecars(folder: output) : nil)
    }

    /// Makes sure the output folder exists and can be written, and sweeps temporary files a
    /// killed run left.
    func prepare() throws(PipelineError) { try Folder.prepare(output) }

    func workload(gates: RateLimitGates) -> DownloadWorkload {
        DownloadWorkload(downloader: Downloader(directory: output, policy: policy, gates: gates))
    }

    /// The stage's report from its items.
    func report(_ listing: LinkSource.Listing, log: ItemLog, timing: RunTiming, stopped: StopReason?) -> RunReport {
        RunReport(command: "fetch", engine: engine.kind.rawValue, workers: engine.workers, source: listing.description,
                  output: output, startedAt: timing.startedAt, seconds: timing.seconds, log: log, skipped: listing.skipped,
                  stopped: stopped, rateLimit: listing.rateLimit, stages: nil)
    }

    /// One request's report item.
    static func item(_ request: DownloadRequest, _ outcome: JobOutcome<DownloadResult>) -> ItemReport {
        switch outcome.result {
        case .success(let result):
            return ItemReport(item: request.url, id: request.id, source: request.source, file: result.file, bytes: result.bytes,
                              status: result.alreadyPresent ? .alreadyPresent : .downloaded, error: nil,
                              seconds: outcome.seconds, attempts: result.attempts,
                              resumed: result.resumes.resumed > 0 ? result.resumes.resumed : nil,
                              restarted: result.resumes.restarted > 0 ? result.resumes.restarted : nil, crc32: result.crc32,
                              kind: result.kind)
        case .failure(let failure):
            return ItemReport(item: request.url, id: request.id, source: request.source, file: nil, bytes: 0, status: .failed,
                              error: .init(failure, item: request.url), seconds: outcome.seconds, attempts: nil, crc32: nil)
        }
    }
}
