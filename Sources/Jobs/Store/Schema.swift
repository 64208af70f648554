/// The store's tables, as numbered migrations. `migrate` applies the ones a store lacks, each
/// in its own transaction, holding the store's migration lock (PostgreSQL: an advisory lock;
/// SQLite: the write lock of `BEGIN IMMEDIATE`), so workers starting together migrate once.
/// A store whose version is newer than this Skein knows is refused, not touched.
enum Schema {
    /// Migrations in order; version N is `migrations[N - 1]`.
    static func migrations(_ dialect: SQLDialect) -> [[String]] {
        let real = dialect.real, bigint = dialect.bigint
        return [
            [
                """
                CREATE TABLE skein_jobs (
                    name TEXT PRIMARY KEY,
                    created_at \(real) NOT NULL,
                    source TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    shard_size INTEGER NOT NULL,
                    max_attempts INTEGER NOT NULL,
                    next_shard INTEGER NOT NULL DEFAULT 0,
                    next_seq \(bigint) NOT NULL DEFAULT 0,
                    pause_until \(real),
                    pause_reason TEXT)
                """,
                // state: ready, leased, done, failed. attempt counts claims (every write of a
                // holder names it); losses counts leases that ran out.
                """
                CREATE TABLE skein_shards (
                    job TEXT NOT NULL REFERENCES skein_jobs(name) ON DELETE CASCADE,
                    id INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    attempt INTEGER NOT NULL DEFAULT 0,
                    losses INTEGER NOT NULL DEFAULT 0,
                    ready_at \(real) NOT NULL,
                    holder TEXT,
                    lease_until \(real),
                    cause TEXT,
                    items INTEGER NOT NULL,
                    PRIMARY KEY (job, id))
                """,
                "CREATE INDEX skein_shards_ready ON skein_shards (job, state, ready_at)",
                // state: pending, done, failed. One row per item: its final result.
                """
                CREATE TABLE skein_items (
                    job TEXT NOT NULL REFERENCES skein_jobs(name) ON DELETE CASCADE,
                    seq \(bigint) NOT NULL,
                    shard INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    link TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending',
                    cause TEXT,
                    message TEXT,
                    bytes \(bigint),
                    file TEXT,
                    worker TEXT,
                    done_at \(real),
                    PRIMARY KEY (job, seq))
                """,
                "CREATE UNIQUE INDEX skein_items_key ON skein_items (job, key)",
                "CREATE INDEX skein_items_shard ON skein_items (job, shard, state)",
                "CREATE INDEX skein_items_done ON skein_items (job, done_at)",
                """
                CREATE TABLE skein_workers (
                    job TEXT NOT NULL REFERENCES skein_jobs(name) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    shard INTEGER,
                    started_at \(real) NOT NULL,
                    heartbeat_at \(real) NOT NULL,
                    lease \(real) NOT NULL,
                    items \(bigint) NOT NULL DEFAULT 0,
                    PRIMARY KEY (job, id))
                """,
                // A download archive (gallery-dl's sense): keys (Imgur id, else URL) seen done.
                "CREATE TABLE skein_archive (key TEXT PRIMARY KEY, file TEXT, done_at \(real) NOT NULL)",
            ],
        ]
    }

    static func latest(_ dialect: SQLDialect) -> Int { migrations(dialect).count }

    /// Brings the store up to the latest version.
    /// - Returns: the migrations applied.
    /// - Throws: `.schema` when the store is newer than this Skein.
    @discardableResult
    static func migrate(_ driver: any SQLDriver) async throws(JobStoreError) -> Int {
        let dialect = driver.dialect
        let steps = migrations(dialect)
        return try await driver.transaction { (tx) async throws(JobStoreError) -> Int in
            if dialect == .postgres { try await tx.execute("SELECT pg_advisory_xact_lock(8401337)") }
            try await tx.execute("CREATE TABLE IF NOT EXISTS skein_schema (version INTEGER PRIMARY KEY, applied_at \(dialect.real) NOT NULL)")
            let current = try await tx.query("SELECT COALESCE(MAX(version), 0) FROM skein_schema", []).first?.int(0) ?? 0
            guard current <= steps.count else {
                throw JobStoreError(.schema, "the store is at schema version \(current), newer than this Skein knows (\(steps.count)): upgrade Skein")
            }
            for version in (current + 1)...max(current + 1, steps.count) where version <= steps.count {
                for statement in steps[version - 1] { try await tx.execute(statement) }
                try await tx.execute("INSERT INTO skein_schema (version, applied_at) VALUES ($1, \(dialect.now))", [.int(version)])
            }
            return steps.count - current
        }
    }
}
