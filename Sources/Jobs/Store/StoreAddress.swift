import Basics
import Foundation

/// Where a job store is: `sqlite:PATH`, or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`
/// (`postgresql://` too). `description` is the address with its password masked: that is the
/// only form that is ever printed or logged.
package enum StoreAddress: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(Postgres)

    package struct Postgres: Sendable, Equatable {
        package var user: String
        package var password: String?
        package var host: String
        package var port: Int
        package var database: String

        /// The address with `***` for the password.
        package var masked: String {
            "postgres://\(user)\(password == nil ? "" : ":***")@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        }
    }

    /// The default when neither `--store` nor `SKEIN_STORE` says.
    package static let defaultAddress = "sqlite:skein-jobs.db"

    /// `--store`, else `SKEIN_STORE`, else the default.
    package static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(JobStoreError) -> StoreAddress {
        try parse(option ?? environment["SKEIN_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultAddress)
    }

    /// Parses an address. Errors never repeat the text (it may hold a password).
    package static func parse(_ text: String) throws(JobStoreError) -> StoreAddress {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty, !path.contains("\0") else {
                throw JobStoreError(.badAddress, "the store address sqlite: names no file (sqlite:PATH)")
            }
            return .sqlite(path: path)
        }
        for scheme in ["postgres://", "postgresql://"] where text.hasPrefix(scheme) {
            return .postgres(try postgres(String(text.dropFirst(scheme.count))))
        }
        throw JobStoreError(.badAddress, "a store is sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (the address given is neither)")
    }

    private static func postgres(_ rest: String) throws(JobStoreError) -> Postgres {
        let usage = "a PostgreSQL store is postgres://USER[:PASSWORD]@HOST[:PORT]/DB"
        guard let at = rest.lastIndex(of: "@") else { throw JobStoreError(.badAddress, "\(usage) (no USER@)") }
        let credentials = rest[..<at]
        var location = rest[rest.index(after: at)...]
        if let query = location.firstIndex(of: "?") { location = location[..<query] }
        let user: Substring, password: Substring?
        if let colon = credentials.firstIndex(of: ":") {
            user = credentials[..<colon]
            password = credentials[credentials.index(after: colon)...]
        } else {
            user = credentials
            password = nil
        }
        guard let slash = location.firstIndex(of: "/") else { throw JobStoreError(.badAddress, "\(usage) (no /DB)") }
        let database = location[location.index(after: slash)...]
        var hostPort = location[..<slash]
        var port = 5432
        var host: Substring
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            hostPort = hostPort[hostPort.index(after: close)...]
            if hostPort.hasPrefix(":") {
                guard let value = Int(hostPort.dropFirst()), (1...65535).contains(value) else { throw JobStoreError(.badAddress, "\(usage) (bad port)") }
                port = value
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            guard let value = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(value) else {
                throw JobStoreError(.badAddress, "\(usage) (bad port)")
            }
            port = value
        } else {
            host = hostPort
        }
        let decodedUser = decode(user)
        guard !decodedUser.isEmpty, !host.isEmpty, !database.isEmpty else {
            throw JobStoreError(.badAddress, "\(usage) (USER, HOST and DB are needed)")
        }
        return Postgres(user: decodedUser, password: password.map(decode),
                        host: String(host), port: port, database: decode(database))
    }

    private static func decode(_ part: Substring) -> String { String(decoding: PercentEncoding.decoded(part), as: UTF8.self) }

    package var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let address): address.masked
        }
    }
}
