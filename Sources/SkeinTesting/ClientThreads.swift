import Basics
import Foundation

/// Threads of their own for a test's client, when the test's outcome depends on the client
/// meeting a short timeout.
///
/// Swift Testing runs tests side by side on the async runtime's few threads (two on this kind
/// of machine), and a synchronous test that computes for seconds (many do, under
/// ThreadSanitizer) holds one of them all that while. A download waiting there for a thread
/// stops reading its body; AsyncHTTPClient's read timeout counts that time as the server's
/// silence and ends a clean attempt as "stalled". Tasks that prefer these threads are
/// scheduled by the kernel beside the busy ones instead of waiting behind them.
package enum ClientThreads {
    private static let executor = ThreadExecutor(name: "skein-test-client", threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Runs `body` (and the child tasks it starts: an engine's task group, the HTTP client's
    /// continuations) on the client threads.
    package static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor, operation: body)
    }
}
