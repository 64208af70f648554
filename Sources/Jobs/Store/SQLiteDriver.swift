import Basics
import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// The embedded store for one machine: an SQLite file shared by every worker process on it.
/// WAL (readers never wait for the writer), a busy timeout of a minute, and every write in a
/// `BEGIN IMMEDIATE` transaction: the write lock is taken before anything is read, so two
/// processes never both read and then race to write (the deferred transaction that turns into
/// "database is locked" under gallery-dl's archive).
final class SQLiteDriver: SQLDriver, SQLStatements {
    let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let serial = AsyncSerial()
    private let path: String

    private init(connection: SQLiteConnection, path: String) {
        self.connection = connection
        self.path = path
    }

    static func open(path: String) async throws(JobStoreError) -> SQLiteDriver {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            throw JobStoreError(.unavailable, "cannot open the store sqlite:\(path): its folder \(folder) does not exist")
        }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "sqlite-nio"))
        } catch {
            throw JobStoreError(.unavailable, "cannot open the store sqlite:\(path): \(error)")
        }
        let driver = SQLiteDriver(connection: connection, path: path)
        // The busy timeout first: switching to WAL itself waits for other connections.
        _ = try await driver.query("PRAGMA busy_timeout = 60000", [])
        _ = try await driver.query("PRAGMA journal_mode = WAL", [])
        _ = try await driver.query("PRAGMA synchronous = NORMAL", [])
        _ = try await driver.query("PRAGMA foreign_keys = ON", [])
        return driver
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow] {
        try await serial.run { () async throws(JobStoreError) -> [SQLRow] in try await run(sql, binds) }
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLStatements) async throws(JobStoreError) -> T) async throws(JobStoreError) -> T {
        try await serial.run { () async throws(JobStoreError) -> T in
            try await begin()
            do throws(JobStoreError) {
                let result = try await body(Statements(driver: self))
                try await commit()
                return result
            } catch {
                _ = try? await run("ROLLBACK", [])
                throw error
            }
        }
    }

    /// `BEGIN IMMEDIATE`. A transaction still open on the connection (one whose end failed
    /// after its caller was told so) is rolled back first: its caller had its error already.
    private func begin() async throws(JobStoreError) {
        do throws(JobStoreError) { _ = try await run("BEGIN IMMEDIATE", []) } catch {
            guard error.message.contains("within a transaction") else { throw error }
            _ = try? await run("ROLLBACK", [])
            _ = try await run("BEGIN IMMEDIATE", [])
        }
    }

    /// `COMMIT`, tried again while SQLite says busy (the transaction stays open then, and a
    /// later COMMIT may succeed, SQLite's documentation says).
    private func commit() async throws(JobStoreError) {
        var tries = 0
        while true {
            do throws(JobStoreError) {
                _ = try await run("COMMIT", [])
                return
            } catch {
                tries += 1
                guard tries < 5, error.message.contains("locked") || error.message.contains("busy") else { throw error }
                try? await Task.sleep(for: .milliseconds(50 * tries))
            }
        }
    }

    func close() async { try? await connection.close() }

    /// A statement on the connection, the caller holding the serial lock.
    fileprivate func run(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow] {
        do {
            // Rows are collected under a lock (sqlite-nio's own collecting wrapper appends to an
            // unguarded variable on its thread pool, which ThreadSanitizer reports).
            let rows = Locked<[SQLRow]>([])
            try await connection.query(Self.numbered(sql), binds.map(Self.data)) { row in
                let converted = SQLRow(row.columns.map { Self.value($0.data) })
                rows.withLock { $0.append(converted) }
            }
            return rows.withLock { $0 }
        } catch {
            throw JobStoreError(.query, "store sqlite:\(path): \(error)")
        }
    }

    /// The transaction's statements: the serial lock is held already.
    private struct Statements: SQLStatements {
        let driver: SQLiteDriver
        func query(_ sql: String, _ binds: [SQLValue]) async throws(JobStoreError) -> [SQLRow] {
            try await driver.run(sql, binds)
        }
    }

    /// `$1` → `?1`: SQLite reads `$1` as a named parameter.
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count)
        var previous: Character = " "
        for character in sql {
            if character.isNumber, previous == "$" { out.removeLast(); out.append("?") }
            out.append(character)
            previous = character
        }
        return out
    }

    private static func data(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .int(let value): .integer(SQLiteInt64(value))
        case .double(let value): .float(value)
        case .text(let value): .text(value)
        case .null: .null
        }
    }

    private static func value(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .integer(let value): .int(Int(value))
        case .float(let value): .double(value)
        case .text(let value): .text(value)
        case .blob(let buffer): .text(String(buffer: buffer))
        case .null: .null
        }
    }
}
