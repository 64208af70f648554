import Basics
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The store for many machines: one PostgreSQL server that every worker connects to. One
/// connection per process; when it drops (the server restarted, the network failed) the call
/// reconnects with a growing backoff, for up to `reconnectFor`, and runs again: every store
/// call is safe to run twice (writes are guarded by the row states they change). A store this
/// process has never reached (a wrong address, a server that isn't up) is given `firstConnectFor`
/// only, so a mistake is said in seconds.
final class PostgresDriver: SQLDriver {
    let dialect = SQLDialect.postgres
    private let configuration: PostgresConnection.Configuration
    private let address: String
    private let reconnectFor: Duration
    private let firstConnectFor: Duration
    /// Whether a connection was ever made.
    private let reached = Locked(false)
    private let serial = AsyncSerial()
    private let logger = Logger(label: "postgres-nio")
    /// The open connection (nil until the first call, and after a loss).
    private let connection = Locked<PostgresConnection?>(nil)

    init(address: StoreAddress.Postgres, reconnectFor: Duration = .seconds(120), firstConnectFor: Duration = .seconds(10)) {
        var configuration = PostgresConnection.Configuration(host: address.host, port: address.port, username: address.user,
                                                             password: address.password, database: address.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        self.configuration = configuration
        self.address = address.masked
        self.reconnectFor = reconnectFor
        self.firstConnectFor = min(firstConnectFor, reconnectFor)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow] {
        try await serial.run { () async throws(JobStoreError) -> [SQLRow] in
            try await retrying { (connection) async throws(JobStoreError) -> [SQLRow] in try await Self.run(sql, binds, on: connection, address) }
        }
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLStatements) async throws(JobStoreError) -> T) async throws(JobStoreError) -> T {
        try await serial.run { () async throws(JobStoreError) -> T in
            try await retrying { (connection) async throws(JobStoreError) -> T in
                _ = try await Self.run("BEGIN", [], on: connection, address)
                do throws(JobStoreError) {
                    let result = try await body(Statements(connection: connection, address: address))
                    _ = try await Self.run("COMMIT", [], on: connection, address)
                    return result
                } catch {
                    if !error.isConnectionLoss { _ = try? await Self.run("ROLLBACK", [], on: connection, address) }
                    throw error
                }
            }
        }
    }

    func close() async {
        let open = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        try? await open?.close()
    }

    /// Runs `body` on the connection, reconnecting (with backoff) and running it again while
    /// the connection is what fails.
    private func retrying<T>(_ body: (PostgresConnection) async throws(JobStoreError) -> T) async throws(JobStoreError) -> T {
        let patience = reached.withLock { $0 } ? reconnectFor : firstConnectFor
        let deadline = ContinuousClock.now + patience
        var delay = Duration.milliseconds(100)
        var lastLoss: JobStoreError?
        while true {
            do throws(JobStoreError) {
                let open = try await connect()
                return try await body(open)
            } catch where error.isConnectionLoss {
                lastLoss = error
                let broken = connection.withLock { connection in
                    defer { connection = nil }
                    return connection
                }
                try? await broken?.close()
                guard ContinuousClock.now + delay < deadline, !Task.isCancelled else {
                    throw JobStoreError(.unavailable, "\(lastLoss?.message ?? "cannot reach the store \(address)") (gave up after \(Int(patience.seconds)) s)")
                }
                Log.jobs.debug("store-reconnect", metadata: ["store": "\(address)", "after_ms": "\(Int(delay.seconds * 1000))", "cause": "\(error.message)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    private func connect() async throws(JobStoreError) -> PostgresConnection {
        if let open = connection.withLock({ $0 }), !open.isClosed { return open }
        do {
            let open = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            connection.withLock { $0 = open }
            reached.withLock { $0 = true }
            return open
        } catch {
            let failure = Self.storeError(error, address)
            guard failure.code == .unavailable, let psql = error as? PSQLError, psql.code == .connectionError else { throw failure }
            throw JobStoreError(.unavailable, "cannot reach the store \(address): \(psql.underlying.map(Self.cause) ?? "\(psql.code)")")
        }
    }

    private struct Statements: SQLStatements {
        let connection: PostgresConnection
        let address: String
        func query(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow] {
            try await PostgresDriver.run(sql, binds, on: connection, address)
        }
    }

    fileprivate static func run(_ sql: String, _ binds: [SQLValue], on connection: PostgresConnection,
                                _ address: String) async throws(JobStoreError) -> [SQLRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .int(let value): bindings.append(Int64(value))
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .null: bindings.appendNull()
            }
        }
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: Logger(label: "postgres-nio"))
            var out: [SQLRow] = []
            for try await row in rows {
                out.append(SQLRow(row.map(Self.value)))
            }
            return out
        } catch {
            throw storeError(error, address)
        }
    }

    private static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map { .int($0) } ?? .null
        case .float4, .float8, .numeric: return (try? cell.decode(Double.self)).map { .double($0) } ?? .null
        case .bool: return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }

    /// What a socket error says, without NIO's wrapping: the system's words for its errno
    /// (`Connection refused`), from the first address tried.
    static func cause(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first { return cause(first.error) }
        return String(describing: error)
    }

    /// A connection lost (or never made) is `unavailable`, which is retried; anything the server
    /// said about the statement is a `query` error, except the server shutting down or not yet
    /// accepting connections (SQLSTATE classes 08 and 57P).
    static func storeError(_ error: any Error, _ address: String) -> JobStoreError {
        if let error = error as? JobStoreError { return error }
        guard let psql = error as? PSQLError else {
            return JobStoreError(.unavailable, "cannot reach the store \(address): \(error)")
        }
        if psql.code == .server, let state = psql.serverInfo?[.sqlState] {
            let message = psql.serverInfo?[.message] ?? "error \(state)"
            if state.hasPrefix("08") || state.hasPrefix("57P") {
                return JobStoreError(.unavailable, "the store \(address) is unavailable: \(message)")
            }
            if state == "28P01" || state == "28000" {
                return JobStoreError(.badAddress, "the store \(address) refused the login: \(message)")
            }
            return JobStoreError(.query, "the store \(address): \(message) (SQLSTATE \(state))")
        }
        switch psql.code {
        case .server, .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return JobStoreError(.badAddress, "the store \(address) refused the login (\(psql.code))")
        default:
            return JobStoreError(.unavailable, "lost the store \(address) (\(psql.code))")
        }
    }
}
