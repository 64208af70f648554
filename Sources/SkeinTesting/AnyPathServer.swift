import GalleryServer
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A tiny real HTTP server that answers every GET, whatever its path or query, with the same
/// body: for tests of hostile link names (`..`, `%2F`, long names) that a real gallery would
/// never serve.
package enum AnyPathServer {
    package static func with<T: Sendable>(body: [UInt8], contentType: String = "image/jpeg",
                                         _ run: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        let buffer = ByteBuffer(bytes: body)
        let respond: @Sendable (Request, BasicRequestContext) -> Response = { _, _ in
            Response(status: .ok, headers: [.contentType: contentType, .contentLength: String(buffer.readableBytes)],
                     body: ResponseBody(byteBuffer: buffer))
        }
        router.get("/", use: respond)
        router.get("**", use: respond)
        var logger = Logger(label: "any-path")
        logger.logLevel = .warning
        return try await ScopedServer.withRunning(router, logger: logger, run)
    }
}
