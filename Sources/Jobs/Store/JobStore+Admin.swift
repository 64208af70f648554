import Foundation

/// What people ask of a job: its status, its list, retries and deletion; and what every worker
/// of a job shares: the pause after a rate limit.
extension JobStore {
    package func status(_ job: String) async throws(JobStoreError) -> JobStatus {
        let definition = try await definition(job)
        var status = JobStatus(job: job, source: definition.source)
        status.items = try await items(job)
        status.shards = try await shards(job)
        // Live: a heartbeat within three leases.
        status.workers = try await driver.query("""
            SELECT id, host, pid, shard, \(now) - heartbeat_at, items FROM skein_workers
            WHERE job = $1 AND heartbeat_at > \(now) - 3 * lease ORDER BY host, pid
            """, [.text(job)]).map { row in
            JobStatus.Worker(id: row.text(0) ?? "", host: row.text(1) ?? "", pid: row.int(2),
                             shard: row.optionalDouble(3).map { Int($0) }, lastHeartbeat: (row.double(4) * 10).rounded() / 10, items: row.int(5))
        }
        // The rate over the last minute (or since the first result, when that is sooner; up to
        // the last result, once nothing is pending).
        if let row = try await driver.query("""
            SELECT COUNT(*), \(now) - MIN(done_at), MAX(done_at) - MIN(done_at) FROM skein_items
            WHERE job = $1 AND state <> 'pending' AND done_at > \(now) - 60
            """, [.text(job)]).first, row.int(0) > 0 {
            let span = max(1, min(60, status.items.pending > 0 ? row.double(1) : row.double(2)))
            status.itemsPerSecond = (Double(row.int(0)) / span * 10).rounded() / 10
            if status.itemsPerSecond > 0, status.items.pending > 0 {
                status.etaSeconds = (Double(status.items.pending) / status.itemsPerSecond).rounded()
            }
        }
        if let pause = try await pause(job) {
            status.pausedSeconds = (pause.seconds * 10).rounded() / 10
            status.pauseReason = pause.reason
        }
        return status
    }

    /// The job's items by state, with the bytes of those done: one query, what a progress
    /// line needs.
    package func items(_ job: String) async throws(JobStoreError) -> JobStatus.Items {
        var items = JobStatus.Items()
        for row in try await driver.query("SELECT state, COALESCE(cause, ''), COUNT(*), CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM skein_items WHERE job = $1 GROUP BY state, cause",
                                          [.text(job)]) {
            let count = row.int(2)
            items.total += count
            switch row.text(0) {
            case "done":
                items.done += count
                items.bytes += row.int(3)
            case "failed":
                items.failed += count
                items.failedByCause[row.text(1) ?? "error", default: 0] += count
            default: items.pending += count
            }
        }
        return items
    }

    /// The job's shards by state: one query, what tells an idle worker whether the job is over.
    package func shards(_ job: String) async throws(JobStoreError) -> JobStatus.Shards {
        var shards = JobStatus.Shards()
        for row in try await driver.query("SELECT state, COALESCE(cause, ''), COUNT(*) FROM skein_shards WHERE job = $1 GROUP BY state, cause", [.text(job)]) {
            let count = row.int(2)
            shards.total += count
            switch row.text(0) {
            case "ready": shards.ready += count
            case "leased": shards.leased += count
            case "done": shards.done += count
            default:
                shards.failed += count
                shards.failedByCause[row.text(1) ?? "error", default: 0] += count
            }
        }
        return shards
    }

    package func list() async throws(JobStoreError) -> [JobSummary] {
        try await driver.query("""
            SELECT j.name, j.source, j.created_at,
                   (SELECT COUNT(*) FROM skein_items i WHERE i.job = j.name),
                   (SELECT COUNT(*) FROM skein_items i WHERE i.job = j.name AND i.state = 'done'),
                   (SELECT COUNT(*) FROM skein_items i WHERE i.job = j.name AND i.state = 'failed')
            FROM skein_jobs j ORDER BY j.name
            """, []).map { row in
            JobSummary(job: row.text(0) ?? "", source: row.text(1) ?? "", createdAt: row.double(2), items: row.int(3), done: row.int(4), failed: row.int(5))
        }
    }

    /// Failed items (of `cause`, or all) back to pending, and their shards, and shards that
    /// failed (lease after lease lost), back to ready with their losses forgotten.
    /// - Returns: the items and shards brought back.
    package func retry(_ job: String, cause: String?) async throws(JobStoreError) -> (items: Int, shards: Int) {
        _ = try await definition(job)
        let now = self.now
        let filter = cause ?? ""
        return try await driver.transaction { (tx) async throws(JobStoreError) -> (items: Int, shards: Int) in
            let items = try await tx.query("""
                UPDATE skein_items SET state = 'pending', cause = NULL, message = NULL, done_at = NULL, bytes = NULL, file = NULL, worker = NULL
                WHERE job = $1 AND state = 'failed' AND ($2 = '' OR cause = $2) RETURNING seq
                """, [.text(job), .text(filter)]).count
            let shards = try await tx.query("""
                UPDATE skein_shards SET state = 'ready', losses = 0, ready_at = \(now), cause = NULL, holder = NULL, lease_until = NULL
                WHERE job = $1 AND ((state = 'failed' AND ($2 = '' OR cause = $2))
                    OR (state = 'done' AND EXISTS (SELECT 1 FROM skein_items i WHERE i.job = $1 AND i.shard = skein_shards.id AND i.state = 'pending')))
                RETURNING id
                """, [.text(job), .text(filter)]).count
            return (items, shards)
        }
    }

    /// - Returns: whether there was such a job.
    package func delete(_ job: String) async throws(JobStoreError) -> Bool {
        !(try await driver.query("DELETE FROM skein_jobs WHERE name = $1 RETURNING name", [.text(job)]).isEmpty)
    }

    // MARK: The pause every worker keeps

    /// Every worker of the job waits until `seconds` from now (a later pause already set wins).
    package func setPause(_ job: String, seconds: Double, reason: String) async throws(JobStoreError) {
        let until = "\(now) + $2"
        try await driver.query("""
            UPDATE skein_jobs SET pause_reason = CASE WHEN pause_until IS NULL OR pause_until < \(until) THEN $3 ELSE pause_reason END,
                                  pause_until = CASE WHEN pause_until IS NULL OR pause_until < \(until) THEN \(until) ELSE pause_until END
            WHERE name = $1
            """, [.text(job), .double(seconds), .text(reason)]).isEmpty ? () : ()
    }

    /// The pause in force, if any: seconds left and why.
    package func pause(_ job: String) async throws(JobStoreError) -> (seconds: Double, reason: String)? {
        guard let row = try await driver.query("SELECT pause_until - \(now), pause_reason FROM skein_jobs WHERE name = $1 AND pause_until > \(now)",
                                               [.text(job)]).first else { return nil }
        return (row.double(0), row.text(1) ?? "rate limit")
    }

    /// Why the job last paused, whether or not that pause is over (nil when it never paused).
    package func lastPauseReason(_ job: String) async throws(JobStoreError) -> String? {
        try await driver.query("SELECT pause_reason FROM skein_jobs WHERE name = $1 AND pause_until IS NOT NULL", [.text(job)]).first?.text(0)
    }

    // MARK: The download archive

    /// Which of `keys` were downloaded before (by any run that used the archive): one query
    /// for all of them.
    package func archived(_ keys: [String]) async throws(JobStoreError) -> Set<String> {
        guard !keys.isEmpty else { return [] }
        struct Row: Encodable { var key: String }
        let rows = try await driver.query("""
            SELECT a.key FROM skein_archive a JOIN \(Self.records(dialect, "$1", "key text")) ON a.key = s.key
            """, [.text(Self.json(keys.map(Row.init)))])
        return Set(rows.compactMap { $0.text(0) })
    }

    /// Adds keys seen done (one statement for the batch; a key there already stays as it was).
    package func archive(_ entries: [(key: String, file: String)]) async throws(JobStoreError) {
        guard !entries.isEmpty else { return }
        struct Row: Encodable { var key: String, file: String }
        let json = Self.json(entries.map { Row(key: $0.key, file: $0.file) })
        _ = try await driver.query("""
            INSERT INTO skein_archive (key, file, done_at) SELECT s.key, s.file, \(now) FROM \(Self.records(dialect, "$1", "key text, file text")) WHERE true
            ON CONFLICT (key) DO NOTHING
            """, [.text(json)])
    }
}
