import AsyncHTTPClient
import NIOCore
import Basics

/// The process's HTTP clients, one per set of timeouts, created on first use and kept for the
/// life of the process (like `HTTPClient.shared`). Each pools keep-alive connections; the
/// engine, not the client, limits how many requests are in flight.
package enum HTTPClients {
    private struct Key: Hashable {
        var connect: Int64
        var read: Int64
        var connections: Int
    }
    private static let clients = Locked<[Key: HTTPClient]>([:])

    /// A client with these timeouts (seconds), opening at most `connections` to a host.
    package static func client(connectTimeout: Double, readTimeout: Double, connections: Int = 512) -> HTTPClient {
        let key = Key(connect: Int64(connectTimeout * 1000), read: Int64(readTimeout * 1000), connections: max(1, connections))
        return clients.withLock { clients in
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .follow(max: 5, allowCycles: false),
                timeout: .init(connect: .milliseconds(key.connect), read: .milliseconds(key.read)),
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: key.connections)
            )
            configuration.httpVersion = .http1Only
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    /// The client a policy's downloads use.
    package static func client(for policy: DownloadPolicy) -> HTTPClient {
        client(connectTimeout: policy.connectTimeout, readTimeout: policy.readTimeout)
    }
}
