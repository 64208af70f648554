import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A tiny real HTTP server that answers every GET, whatever its path or query, with the same
/// body: for tests of hostile link names (`..`, `%2F`, long names) that a real gallery would
/// never serve.
public enum AnyPathServer {
    public static func with<T: Sendable>(body: [UInt8], contentType: String = "image/jpeg",
                                         _ run: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        let buffer = ByteBuffer(bytes: body)
        let respond: @Sendable (Request, BasicRequestContext) -> Response = { _, _ in
            Response(status: .ok, headers: [.contentType: contentType, .contentLength: String(buffer.readableBytes)],
                     body: ResponseBody(byteBuffer: buffer))
        }
        router.get("/", use: respond)
        router.get("**", use: respond)
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "any-path")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { sink.yield($0.localAddress?.port ?? 0); sink.finish() }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { defer { sink.finish() }; try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { try await tasks.waitForAll(); fatalError("server did not start") }
            let result: Result<T, any Error>
            do { result = .success(try await run("http://127.0.0.1:\(port)")) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}
