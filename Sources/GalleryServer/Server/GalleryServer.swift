import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Skein's embedded Imgur-compatible gallery: Imgur's API paths, envelope and headers over a
/// generated corpus, on Hummingbird.
public struct GalleryServer: Sendable {
    public let corpus: Corpus
    public let options: ServerOptions
    public let stats = ServerStats()
    public var logger: Logger

    public init(corpus: Corpus, options: ServerOptions = ServerOptions(), logLevel: Logger.Level = .warning) {
        self.corpus = corpus
        self.options = options
        var logger = Logger(label: "skein.gallery")
        logger.logLevel = logLevel
        self.logger = logger
    }

    func makeApplication(onReady: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        GalleryRoutes(corpus: corpus, options: options, stats: stats).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "skein-gallery"),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Runs the server until SIGINT or SIGTERM, calling `onReady` with its base URL once it
    /// listens.
    public func run(onReady: @escaping @Sendable (String) -> Void) async throws {
        let host = options.host
        let app = makeApplication { port in onReady("http://\(host):\(port)") }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await group.run()
    }

    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT`), then shuts
    /// the server down gracefully, whether `body` returned or threw.
    public func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = makeApplication { port in
            portSink.yield(port)
            portSink.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portSink.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll() // surfaces the bind error
                throw ServerError(description: "the gallery server stopped before it listened")
            }
            let result: Result<T, any Error>
            do { result = .success(try await body("http://\(options.host):\(port)")) } catch { result = .failure(error) }
            stats.stopping.store(true, ordering: .relaxed) // stalled bodies give up now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
}
