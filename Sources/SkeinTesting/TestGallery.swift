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
        let corpus = try await TestCorpus.load(spec)
        let server = GalleryServer(corpus: corpus, options: options)
        return try await server.withRunning { url in try await body(url, server) }
    }
}

/// Corpora for tests, generated off the async runtime's threads.
package enum TestCorpus {
    /// The corpus of `spec`, generated (or waited for, behind another test's generation of the
    /// same one) on a thread of its own: a generation takes seconds (a minute under
    /// ThreadSanitizer), and a test waiting for it on one of the runtime's few threads would hold
    /// that thread from every other test for as long.
    package static func load(_ spec: CorpusSpec) async throws -> Corpus {
        try await offThread { try CorpusCache.corpus(for: spec) }
    }

    /// `body` run on a thread of its own, for long synchronous work in an async test.
    package static func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
