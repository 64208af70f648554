import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Skein's embedded Imgur-compatible gallery: Imgur's API paths, envelope and headers over a
/// generated corpus, on Hummingbird.
package struct GalleryServer: Sendable {
    package let corpus: Corpus
    package let options: ServerOptions
    package let stats = ServerStats()
    package var logger: Logger

    package init(corpus: Corpus, options: ServerOptions = ServerOptions(), logLevel: Logger.Level = .warning) {
        self.corpus = corpus
        self.options = options
        var logger = Logger(label: "gallery-server")
        logger.logLevel = logLevel
        self.logger = logger
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        GalleryRoutes(corpus: corpus, options: options, stats: stats).register(on: router)
        return router
    }

    /// Runs the server until SIGINT or SIGTERM, calling `onReady` with its base URL once it
    /// listens.
    package func run(onReady: @escaping @Sendable (String) -> Void) async throws {
        let host = options.host
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: options.port), serverName: "skein-gallery"),
            onServerRunning: { channel in onReady("http://\(host):\(channel.localAddress?.port ?? 0)") },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withTaskExecutorPreference(ScopedServer.executor) { try await group.run() }
    }

    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT`), then shuts
    /// the server down gracefully, whether `body` returned or threw.
    package func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let stats = self.stats
        return try await ScopedServer.withRunning(
            makeRouter(), host: options.host, port: options.port, serverName: "skein-gallery", logger: logger,
            beforeShutdown: { stats.stopping.store(true, ordering: .relaxed) }, // stalled bodies give up now
            body)
    }
}
