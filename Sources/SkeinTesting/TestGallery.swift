import Foundation
import GalleryServer

/// Starts the embedded gallery on a free loopback port for a test and stops it afterwards.
/// The corpus is small (fast to generate) and cached for the whole test process.
package enum TestGallery {
    /// Runs `body` with the server's base URL and the server itself.
    package static func with<T: Sendable>(
        items: Int = 12, seed: UInt64 = 7, videos: Bool = false, options: ServerOptions = ServerOptions(),
        _ body: @Sendable (_ url: String, _ server: GalleryServer) async throws -> T
    ) async throws -> T {
        let spec = CorpusSpec.small(items: items, seed: seed).withVideos(videos)
        // Generated (or waited for, behind another test's generation) on a thread of its own:
        // the async runtime has as many threads as cores, and the test servers answer on them.
        let corpus = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Corpus, any Error>) in
            Thread { continuation.resume(with: Result { try CorpusCache.corpus(for: spec) }) }.start()
        }
        let server = GalleryServer(corpus: corpus, options: options)
        return try await server.withRunning { url in try await body(url, server) }
    }
}
