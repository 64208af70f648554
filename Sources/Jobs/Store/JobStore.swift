import Foundation
import ImgurAPI

/// A durable job store over SQLite or PostgreSQL: jobs, their items in shards, leases, the
/// workers' heartbeats, a pause every worker keeps, and a download archive. Every method is
/// one statement or one transaction; the claim is one `UPDATE … WHERE id = (SELECT … FOR
/// UPDATE SKIP LOCKED)` on PostgreSQL, the same inside `BEGIN IMMEDIATE` on SQLite.
package final class JobStore: Sendable {
    package let address: StoreAddress
    let driver: any SQLDriver
    var dialect: SQLDialect { driver.dialect }
    var now: String { driver.dialect.now }

    private init(address: StoreAddress, driver: any SQLDriver) {
        self.address = address
        self.driver = driver
    }

    /// Opens the store and brings its schema up to date.
    package static func open(_ address: StoreAddress, reconnectFor: Duration = .seconds(120)) async throws(JobStoreError) -> JobStore {
        let driver: any SQLDriver
        switch address {
        case .sqlite(let path): driver = try await SQLiteDriver.open(path: path)
        case .postgres(let postgres): driver = PostgresDriver(address: postgres, reconnectFor: reconnectFor)
        }
        let store = JobStore(address: address, driver: driver)
        do { try await Schema.migrate(driver) } catch {
            await driver.close()
            throw error
        }
        return store
    }

    package func close() async { await driver.close() }

    // MARK: Jobs

    /// Makes the job, or with `append` takes the one of that name.
    /// - Returns: whether the job is new.
    /// - Throws: `.jobExists` when it exists and `append` is false.
    @discardableResult
    package func create(_ job: JobDefinition, append: Bool) async throws(JobStoreError) -> Bool {
        let made = try await driver.query("""
            INSERT INTO skein_jobs (name, created_at, source, spec, shard_size, max_attempts) VALUES ($1, \(now), $2, $5, $3, $4)
            ON CONFLICT (name) DO NOTHING RETURNING name
            """, [.text(job.name), .text(job.source), .int(job.shardSize), .int(job.maxAttempts), .text(Self.json(job.spec))])
        if made.isEmpty {
            guard append else { throw JobStoreError(.jobExists, "the job '\(job.name)' exists in \(address) (--append adds to it, job delete removes it)") }
            _ = try await definition(job.name)
            return false
        }
        return true
    }

    /// The job's stored definition.
    package func definition(_ name: String) async throws(JobStoreError) -> JobDefinition {
        guard let row = try await driver.query("SELECT source, shard_size, max_attempts, spec FROM skein_jobs WHERE name = $1", [.text(name)]).first else {
            throw JobStoreError(.noSuchJob, "no job '\(name)' in \(address) (job list shows the jobs there)")
        }
        let spec = (try? JSONDecoder().decode(JobSpec.self, from: Data((row.text(3) ?? "{}").utf8))) ?? JobSpec()
        return JobDefinition(name: name, source: row.text(0) ?? "", shardSize: row.int(1), maxAttempts: row.int(2), spec: spec)
    }

    /// Adds one shard of `links`; links the job holds already (by key) are left out.
    /// - Returns: the items added (the shard is made only when there is one).
    package func addShard(job: String, links: [ImageLink]) async throws(JobStoreError) -> Int {
        struct Row: Encodable { var n: Int, key: String, link: String }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rows: [Row] = []
        var keys = Set<String>()
        for link in links {
            let key = JobItem.key(of: link)
            guard keys.insert(key).inserted, let data = try? encoder.encode(link) else { continue }
            rows.append(Row(n: rows.count, key: key, link: String(decoding: data, as: UTF8.self)))
        }
        guard !rows.isEmpty else { return 0 }
        let json = Self.json(rows), count = rows.count
        let dialect = self.dialect, now = self.now, address = self.address
        return try await driver.transaction { (tx) async throws(JobStoreError) -> Int in
            let lock = dialect == .postgres ? " FOR UPDATE" : ""
            guard let row = try await tx.query("SELECT next_shard, next_seq FROM skein_jobs WHERE name = $1\(lock)", [.text(job)]).first else {
                throw JobStoreError(.noSuchJob, "no job '\(job)' in \(address)")
            }
            let shard = row.int(0), firstSeq = row.int(1)
            let added = try await tx.query("""
                INSERT INTO skein_items (job, seq, shard, key, link)
                SELECT $1, $3 + s.n, $2, s.key, s.link FROM \(Self.records(dialect, "$4", "n bigint, key text, link text")) WHERE true
                ON CONFLICT (job, key) DO NOTHING RETURNING seq
                """, [.text(job), .int(shard), .int(firstSeq), .text(json)]).count
            guard added > 0 else { return 0 }
            try await tx.execute("INSERT INTO skein_shards (job, id, state, ready_at, items) VALUES ($1, $2, 'ready', \(now), $3)",
                                 [.text(job), .int(shard), .int(added)])
            try await tx.execute("UPDATE skein_jobs SET next_shard = $2, next_seq = $3 WHERE name = $1",
                                 [.text(job), .int(shard + 1), .int(firstSeq + count)])
            return added
        }
    }

    /// A JSON array bound as one parameter, read as rows `s(columns)`: PostgreSQL's
    /// `json_to_recordset`, SQLite's `json_each`. One statement writes a whole batch.
    static func records(_ dialect: SQLDialect, _ parameter: String, _ columns: String) -> String {
        switch dialect {
        case .postgres:
            return "json_to_recordset(\(parameter)::json) AS s(\(columns))"
        case .sqlite:
            let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0] }
            let fields = names.map { "json_extract(value, '$.\($0)') AS \($0)" }.joined(separator: ", ")
            return "(SELECT \(fields) FROM json_each(\(parameter))) AS s"
        }
    }

    static func json(_ rows: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(rows) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
