import Logging

/// The loggers of Skein's layers (swift-log). What they say goes where the command sends it:
/// stderr with `--verbose`, JSON lines with `--log-file`. Events are named by the message
/// (`request`, `retry`, `pause`, `item`, `shard`) with their facts as metadata; no
/// Client-ID, password or other secret is ever put in one.
package enum Log {
    /// Each HTTP request of a download, its retries and the rate-limit pauses.
    package static let download = Logger(label: "skein.download")
    /// Requests to the Imgur API.
    package static let api = Logger(label: "skein.api")
    /// Each item's outcome in a run.
    package static let run = Logger(label: "skein.run")
    /// Worker processes of the process engine that exited mid-batch (crashed, killed, replaced).
    package static let engines = Logger(label: "skein.engines")
    /// Shards claimed, finished and lost by a job worker, and reconnections to the store.
    package static let jobs = Logger(label: "skein.jobs")
}
