import Foundation
import ImgurAPI

/// Claims, leases and results. A holder's every write names the shard's `attempt` and checks
/// that its lease is still running, so a worker that lost its lease (stopped, cut off) can
/// never write over the shard's next holder.
extension JobStore {
    /// Returns expired leases to ready (one more loss; a backoff of 2 s per loss before the
    /// shard may be claimed again; failed once the losses reach the job's `max_attempts`),
    /// then claims the first ready shard and registers the worker as holding it.
    /// - Returns: nil when no shard is ready now.
    package func claim(job: String, worker: WorkerIdentity, lease: Double) async throws(JobStoreError) -> ShardClaim? {
        let now = self.now, dialect = self.dialect
        let skipLocked = dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let claimed = try await driver.transaction { (tx) async throws(JobStoreError) -> (shard: Int, attempt: Int, size: Int)? in
            try await tx.execute("""
                UPDATE skein_shards SET
                    state = CASE WHEN losses + 1 >= (SELECT max_attempts FROM skein_jobs WHERE name = $1) THEN 'failed' ELSE 'ready' END,
                    cause = 'lease-expired', losses = losses + 1, holder = NULL, lease_until = NULL,
                    ready_at = \(now) + 2.0 * (losses + 1)
                WHERE job = $1 AND state = 'leased' AND lease_until < \(now)
                """, [.text(job)])
            guard let row = try await tx.query("""
                UPDATE skein_shards SET state = 'leased', attempt = attempt + 1, holder = $2, lease_until = \(now) + $3
                WHERE job = $1 AND id = (SELECT id FROM skein_shards WHERE job = $1 AND state = 'ready' AND ready_at <= \(now)
                                         ORDER BY id LIMIT 1\(skipLocked))
                RETURNING id, attempt, items
                """, [.text(job), .text(worker.id), .double(lease)]).first else { return nil }
            try await tx.execute("""
                INSERT INTO skein_workers (job, id, host, pid, shard, started_at, heartbeat_at, lease) VALUES ($1, $2, $3, $4, $5, \(now), \(now), $6)
                ON CONFLICT (job, id) DO UPDATE SET shard = excluded.shard, heartbeat_at = excluded.heartbeat_at, lease = excluded.lease
                """, [.text(job), .text(worker.id), .text(worker.host), .int(worker.pid), .int(row.int(0)), .double(lease)])
            return (row.int(0), row.int(1), row.int(2))
        }
        guard let claimed else { return nil }
        let rows = try await driver.query("SELECT seq, key, link FROM skein_items WHERE job = $1 AND shard = $2 AND state = 'pending' ORDER BY seq",
                                          [.text(job), .int(claimed.shard)])
        let decoder = JSONDecoder()
        var items: [JobItem] = []
        items.reserveCapacity(rows.count)
        for row in rows {
            guard let text = row.text(2), let link = try? decoder.decode(ImageLink.self, from: Data(text.utf8)) else { continue }
            items.append(JobItem(seq: row.int(0), key: row.text(1) ?? "", link: link))
        }
        return ShardClaim(job: job, shard: claimed.shard, attempt: claimed.attempt, items: items, size: claimed.size)
    }

    /// Renews the lease for `lease` seconds from now.
    /// - Throws: `.leaseLost` when the lease ran out or the shard has another holder.
    package func heartbeat(_ claim: ShardClaim, worker: WorkerIdentity, lease: Double) async throws(JobStoreError) {
        let renewed = try await driver.query("""
            UPDATE skein_shards SET lease_until = \(now) + $4
            WHERE job = $1 AND id = $2 AND attempt = $3 AND state = 'leased' AND lease_until >= \(now) RETURNING id
            """, [.text(claim.job), .int(claim.shard), .int(claim.attempt), .double(lease)])
        guard !renewed.isEmpty else { throw lost(claim) }
        _ = try await driver.query("UPDATE skein_workers SET heartbeat_at = \(now) WHERE job = $1 AND id = $2",
                                   [.text(claim.job), .text(worker.id)])
    }

    /// Records results of the shard's items, the batch bound as one JSON parameter, only if
    /// the lease still holds: on PostgreSQL one statement (one round trip) whose guard
    /// share-locks the shard row; on SQLite a `BEGIN IMMEDIATE` transaction. An item already
    /// final is left as it is: one final row per item.
    /// - Returns: the items recorded.
    /// - Throws: `.leaseLost` (nothing is written).
    @discardableResult
    package func record(_ results: [ItemResult], for claim: ShardClaim, worker: WorkerIdentity) async throws(JobStoreError) -> Int {
        guard !results.isEmpty else { return 0 }
        let json = Self.json(results)
        let now = self.now, dialect = self.dialect
        let lost = self.lost(claim)
        let records = Self.records(dialect, "$4", "seq bigint, state text, cause text, message text, bytes bigint, file text")
        let set = """
            state = s.state, cause = NULLIF(s.cause, ''), message = NULLIF(s.message, ''),
            bytes = s.bytes, file = NULLIF(s.file, ''), worker = $3, done_at = \(now)
            """
        let binds: [SQLValue] = [.text(claim.job), .int(claim.shard), .text(worker.id), .text(json), .int(claim.attempt)]
        if dialect == .postgres {
            // One statement, one round trip: the guard share-locks the shard row (a rescue
            // waits for it), and the items are written only if the guard found the lease.
            guard let row = try await driver.query("""
                WITH guard AS (SELECT id FROM skein_shards WHERE job = $1 AND id = $2 AND attempt = $5 AND state = 'leased'
                                                               AND lease_until >= \(now) FOR SHARE),
                     written AS (UPDATE skein_items AS i SET \(set) FROM \(records)
                                 WHERE i.job = $1 AND i.shard = $2 AND i.seq = s.seq AND i.state = 'pending' AND EXISTS (SELECT 1 FROM guard)
                                 RETURNING i.seq),
                     counted AS (UPDATE skein_workers SET items = items + (SELECT COUNT(*) FROM written) WHERE job = $1 AND id = $3)
                SELECT (SELECT COUNT(*) FROM guard), (SELECT COUNT(*) FROM written)
                """, binds).first, row.int(0) > 0 else { throw lost }
            return row.int(1)
        }
        return try await driver.transaction { (tx) async throws(JobStoreError) -> Int in
            guard try await !guardLease(tx, claim).isEmpty else { throw lost }
            let written = try await tx.query("""
                UPDATE skein_items AS i SET \(set) FROM \(records)
                WHERE i.job = $1 AND i.shard = $2 AND i.seq = s.seq AND i.state = 'pending' AND $5 = $5
                RETURNING seq
                """, binds).count
            try await tx.execute("UPDATE skein_workers SET items = items + $3 WHERE job = $1 AND id = $2",
                                 [.text(claim.job), .text(worker.id), .int(written)])
            return written
        }
    }

    /// The holder is done with the shard: done when none of its items is pending any more.
    /// Else it goes back to ready: at once when the run was `stopped` (Ctrl-C; the next holder
    /// takes the rest), and otherwise as a lost attempt, with the lease-loss backoff (an item
    /// that never gets a result must not be claimed for ever: after `max_attempts` the shard
    /// fails as `items-unrecorded`).
    /// - Returns: whether the shard is done.
    /// - Throws: `.leaseLost` when it was no longer the holder (nothing is changed).
    @discardableResult
    package func finish(_ claim: ShardClaim, stopped: Bool = false) async throws(JobStoreError) -> Bool {
        let now = self.now
        let lost = self.lost(claim)
        return try await driver.transaction { (tx) async throws(JobStoreError) -> Bool in
            guard try await !guardLease(tx, claim, expiredToo: true).isEmpty else { throw lost }
            let pending = try await tx.query("SELECT COUNT(*) FROM skein_items WHERE job = $1 AND shard = $2 AND state = 'pending'",
                                             [.text(claim.job), .int(claim.shard)]).first?.int(0) ?? 0
            let binds: [SQLValue] = [.text(claim.job), .int(claim.shard), .int(claim.attempt)]
            if pending == 0 || stopped {
                try await tx.execute("""
                    UPDATE skein_shards SET state = $4, holder = NULL, lease_until = NULL, ready_at = \(now), cause = NULL
                    WHERE job = $1 AND id = $2 AND attempt = $3
                    """, binds + [.text(pending == 0 ? "done" : "ready")])
            } else {
                try await tx.execute("""
                    UPDATE skein_shards SET
                        state = CASE WHEN losses + 1 >= (SELECT max_attempts FROM skein_jobs WHERE name = $1) THEN 'failed' ELSE 'ready' END,
                        cause = 'items-unrecorded', losses = losses + 1, holder = NULL, lease_until = NULL,
                        ready_at = \(now) + 2.0 * (losses + 1)
                    WHERE job = $1 AND id = $2 AND attempt = $3
                    """, binds)
            }
            return pending == 0
        }
    }

    /// The worker leaves: its row goes (it no longer shows as live).
    package func leave(job: String, worker: WorkerIdentity) async {
        _ = try? await driver.query("DELETE FROM skein_workers WHERE job = $1 AND id = $2", [.text(job), .text(worker.id)])
    }

    /// The shard row, if `claim` still holds it (with `FOR SHARE` on PostgreSQL, so that a
    /// rescue can't slip in before the transaction commits).
    private func guardLease(_ tx: any SQLStatements, _ claim: ShardClaim, expiredToo: Bool = false) async throws(JobStoreError) -> [SQLRow] {
        let share = dialect == .postgres ? " FOR SHARE" : ""
        let running = expiredToo ? "" : " AND lease_until >= \(now)"
        return try await tx.query("SELECT id FROM skein_shards WHERE job = $1 AND id = $2 AND attempt = $3 AND state = 'leased'\(running)\(share)",
                                  [.text(claim.job), .int(claim.shard), .int(claim.attempt)])
    }

    private func lost(_ claim: ShardClaim) -> JobStoreError {
        JobStoreError(.leaseLost, "lost the lease of shard \(claim.shard) of job '\(claim.job)' (attempt \(claim.attempt)): it expired or another worker holds it")
    }
}
