import Foundation
import ImgurAPI
import Pipeline

/// A worker process, as the store knows it: `host:pid:random` (unique across restarts).
package struct WorkerIdentity: Sendable, Hashable {
    package var id: String
    package var host: String
    package var pid: Int

    package static func current() -> WorkerIdentity {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        let tag = String(UInt32.random(in: .min ... .max), radix: 36)
        return WorkerIdentity(id: "\(host):\(pid):\(tag)", host: host, pid: pid)
    }
}

/// One item of a job: its place, its dedup key (the Imgur id, else the URL) and its link.
package struct JobItem: Sendable, Hashable {
    package var seq: Int
    package var key: String
    package var link: ImageLink

    /// The key an item is known by in a job (and in an archive).
    package static func key(of link: ImageLink) -> String { link.archiveKey }
}

/// A shard a worker holds: what it may write is guarded by `attempt`.
package struct ShardClaim: Sendable, Hashable {
    package var job: String
    package var shard: Int
    package var attempt: Int
    /// The shard's items not yet recorded done or failed.
    package var items: [JobItem]
    /// Items the shard holds in all.
    package var size: Int
}

/// One item's final result.
package struct ItemResult: Sendable, Hashable, Codable {
    package var seq: Int
    package var state: String
    package var cause: String
    package var message: String
    package var bytes: Int
    package var file: String

    package static func done(_ seq: Int, bytes: Int, file: String) -> ItemResult {
        ItemResult(seq: seq, state: "done", cause: "", message: "", bytes: bytes, file: file)
    }

    package static func failed(_ seq: Int, cause: String, message: String) -> ItemResult {
        ItemResult(seq: seq, state: "failed", cause: cause, message: message, bytes: 0, file: "")
    }
}

/// What a job is made of: `job create`'s options as stored.
package struct JobDefinition: Sendable, Hashable {
    package var name: String
    /// What was listed, for people (`tag cats at http://…`).
    package var source: String
    package var shardSize: Int
    package var maxAttempts: Int
    /// How each worker downloads the items.
    package var spec: JobSpec

    package init(name: String, source: String, shardSize: Int = 500, maxAttempts: Int = 5, spec: JobSpec = JobSpec()) {
        self.name = name
        self.source = source
        self.spec = spec
        self.shardSize = shardSize
        self.maxAttempts = maxAttempts
    }
}

/// `job status`.
package struct JobStatus: Sendable, Codable, Hashable {
    package struct Items: Sendable, Codable, Hashable {
        package var total = 0, done = 0, failed = 0, pending = 0
        package var failedByCause: [String: Int] = [:]
        package var bytes = 0
    }
    package struct Shards: Sendable, Codable, Hashable {
        package var total = 0, ready = 0, leased = 0, done = 0, failed = 0
        package var failedByCause: [String: Int] = [:]
        /// Nothing is left to claim or running.
        package var isFinished: Bool { ready == 0 && leased == 0 }
    }
    package struct Worker: Sendable, Codable, Hashable {
        package var id: String
        package var host: String
        package var pid: Int
        package var shard: Int?
        /// Seconds since its last heartbeat.
        package var lastHeartbeat: Double
        package var items: Int
    }

    package var job: String
    package var source: String
    package var items = Items()
    package var shards = Shards()
    package var workers: [Worker] = []
    /// Items finished a second over the last minute.
    package var itemsPerSecond: Double = 0
    /// Seconds until every pending item is done at that rate (nil when nothing is moving).
    package var etaSeconds: Double?
    /// A pause every worker keeps (after a 429 or a credit stop), seconds left.
    package var pausedSeconds: Double?
    package var pauseReason: String?

    /// Whether no work is left: nothing pending in a shard that can still run.
    package var isFinished: Bool { shards.isFinished }
}

/// `job list`.
package struct JobSummary: Sendable, Codable, Hashable {
    package var job: String
    package var source: String
    package var createdAt: Double
    package var items: Int
    package var done: Int
    package var failed: Int
}

/// The download options a job is made with, which every worker of it follows: the same names
/// and types whichever machine fetches an item.
package struct JobSpec: Sendable, Hashable, Codable {
    /// `--name`.
    package var name: String?
    /// `--write-metadata`.
    package var writeMetadata = false
    /// `--types`.
    package var types: [String] = []

    package init(name: String? = nil, writeMetadata: Bool = false, types: [String] = []) {
        self.name = name
        self.writeMetadata = writeMetadata
        self.types = types
    }
}
