/// What the job store needs of a database: statements with positional parameters written
/// `$1`, `$2`… (PostgreSQL's spelling; the SQLite driver turns them into `?1`, `?2`…), and
/// transactions. A driver serializes its callers: one statement or transaction at a time on
/// its one connection.
package protocol SQLDriver: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow]
    /// Runs `body` in one transaction (SQLite: `BEGIN IMMEDIATE`, so the write lock is taken
    /// first and a busy database is waited for, never failed; PostgreSQL: `BEGIN`). Committed
    /// when `body` returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLStatements) async throws(JobStoreError) -> T) async throws(JobStoreError) -> T
    func close() async
}

/// Statements inside a transaction.
package protocol SQLStatements: Sendable {
    func query(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow]
}

package enum SQLDialect: String, Sendable {
    case sqlite, postgres

    /// The database's clock, as seconds since 1970: every lease and heartbeat is timed by the
    /// database, so workers on machines whose clocks disagree still agree on who holds what.
    var now: String {
        switch self {
        case .sqlite: "((julianday('now') - 2440587.5) * 86400.0)"
        case .postgres: "EXTRACT(EPOCH FROM clock_timestamp())::float8"
        }
    }

    /// Column types.
    var real: String { self == .sqlite ? "REAL" : "DOUBLE PRECISION" }
    var bigint: String { self == .sqlite ? "INTEGER" : "BIGINT" }
}

extension SQLStatements {
    func execute(_ sql: String, _ binds: [SQLValue] = []) async throws(JobStoreError) {
        _ = try await query(sql, binds)
    }
}
