import Basics
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Runs a Hummingbird router for the length of a scope: listens (port 0 picks a free one),
/// hands `body` the base URL once the server is really listening (no sleeps, no polling),
/// then shuts it down gracefully, whether `body` returned or threw, and returns once its port is
/// closed. The embedded gallery and the tests' small servers all start this way.
///
/// The server's tasks (every connection and every handler: child tasks inherit the preference)
/// run on threads of their own, never behind threads that block in the global pool: a client
/// in the same process (the demo, the bench, a test) can use the `gcd` engine or block in a
/// wait and the server still answers.
package enum ScopedServer {
    /// The servers' threads, as many as the cores (two at least).
    package static let executor = ThreadExecutor(name: "skein-server", threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    package static func withRunning<T: Sendable>(
        _ router: Router<BasicRequestContext>, host: String = "127.0.0.1", port: Int = 0,
        serverName: String? = nil, logger: Logger,
        beforeShutdown: @Sendable () -> Void = {},
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let (listeners, listenerSink) = AsyncStream.makeStream(of: (any Channel).self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in
                listenerSink.yield(channel)
                listenerSink.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { listenerSink.finish() }
                try await withTaskExecutorPreference(Self.executor) { try await group.run() }
            }
            var iterator = listeners.makeAsyncIterator()
            guard let listener = await iterator.next() else {
                try await tasks.waitForAll() // surfaces the bind error
                throw ServerError(description: "the server stopped before it listened")
            }
            let result: Result<T, any Error>
            let port = listener.localAddress?.port ?? 0
            do { result = .success(try await body("http://\(host):\(port)")) } catch { result = .failure(error) }
            beforeShutdown()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            // Returns once the listening socket is closed: the port is free for whoever comes next.
            try? await listener.closeFuture.get()
            return try result.get()
        }
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
}
