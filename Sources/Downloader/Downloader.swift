import AsyncHTTPClient
import Basics
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SafeFiles

/// Downloads one link into a folder: an HTTP GET whose body is streamed to a temporary file
/// inside the folder and checked as it arrives (the first bytes must be a wanted image type,
/// the size must stay under the limit and match `Content-Length`), then published under
/// `<stem>.<ext>` without ever overwriting a different file. Server errors, dropped
/// connections and truncated bodies are retried with exponential backoff and jitter.
///
/// Cancelling the calling task stops the download and deletes its temporary file.
package struct Downloader: Sendable, Codable, Hashable {
    /// The output folder; nothing is ever written outside it.
    package var directory: String
    package var policy: DownloadPolicy
    /// The run's rate-limit pauses. Not encoded: a worker process keeps its own.
    package let gates: RateLimitGates
    /// Decodes each image when `policy.verifyDecode` asks. Not encoded: the workload attaches
    /// it again in a worker process.
    package var verifier: (any ImageVerifier)?

    package init(directory: String, policy: DownloadPolicy = DownloadPolicy(), gates: RateLimitGates = RateLimitGates(),
                 verifier: (any ImageVerifier)? = nil) {
        self.directory = directory
        self.policy = policy
        self.gates = gates
        self.verifier = verifier
    }

    private enum CodingKeys: String, CodingKey { case directory, policy }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(directory: try container.decode(String.self, forKey: .directory),
                  policy: try container.decode(DownloadPolicy.self, forKey: .policy))
    }

    package static func == (a: Downloader, b: Downloader) -> Bool { a.directory == b.directory && a.policy == b.policy }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(directory)
        hasher.combine(policy)
    }

    /// Downloads `request`. `lane` is the worker running it, for the trace.
    /// - Throws: `DownloadError` naming the link and the cause.
    package func download(_ request: DownloadRequest, lane: Int? = nil) async throws(DownloadError) -> DownloadResult {
        let url = try Self.validatedURL(request.url)
        var attempt = 0
        var rateLimited = 0
        let gate = gates.gate(for: url)
        // A body cut short, resumed by the next attempt; never left behind.
        var partial: PartialBody?
        defer { partial?.file.discard() }
        var resumes = Resumes()
        // The item's time budget: attempts and backoffs, not waits for a rate limit.
        var spent = Duration.zero
        let clock = ContinuousClock()
        while true {
            attempt += 1
            do throws(DownloadError) {
                do { try await gate.wait() } catch { throw DownloadError(.cancelled, url: request.url, "cancelled") }
                let start = clock.now
                defer { spent += clock.now - start }
                Log.download.debug("request", metadata: ["url": "\(request.url)", "attempt": "\(attempt)"])
                let result = try await attemptDownload(request, url: url, attempt: attempt, partial: &partial, resumes: &resumes)
                Log.download.debug("response", metadata: ["url": "\(request.url)", "attempt": "\(attempt)", "bytes": "\(result.bytes)",
                                                          "seconds": "\(String(format: "%.3f", (clock.now - start).seconds))"])
                return result
            } catch {
                guard !Task.isCancelled else { throw error }
                if error.code == .rateLimited {
                    // Every worker waits for the reset; being told to wait is not a failure of
                    // this item, so it has a budget of its own.
                    rateLimited += 1
                    guard rateLimited <= policy.rateLimitRetries else { throw error }
                    Log.download.debug("rate-limited", metadata: ["url": "\(request.url)", "retry_after": "\(error.retryAfter ?? 1)"])
                    gate.pause(seconds: error.retryAfter ?? 1)
                    attempt -= 1
                    continue
                }
                guard error.retryable else { throw error }
                guard attempt <= policy.retries, spent.seconds < policy.retryWindow else { throw error.givenUp(after: attempt) }
                Log.download.debug("retry", metadata: ["url": "\(request.url)", "attempt": "\(attempt)", "cause": "\(error.code.rawValue)",
                                                       "message": "\(error.description)"])
                if let trace = TraceRecorder.current {
                    trace.instant("retry", category: "retry", lane: TraceRecorder.Lane(process: TraceRecorder.Row.download.rawValue, thread: lane ?? 0),
                                  args: ["url": .text(Redact.passwords(in: request.url)), "attempt": .number(Double(attempt)), "cause": .text(error.code.rawValue)])
                }
                let start = clock.now
                try await backoff(before: attempt + 1, url: request.url, after: error)
                spent += clock.now - start
            }
        }
    }

    /// Only absolute http and https links with a host are fetched.
    static func validatedURL(_ text: String) throws(DownloadError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw DownloadError(.badLink, url: text, "not a valid link")
        }
        guard scheme == "http" || scheme == "https" else {
            throw DownloadError(.badLink, url: text, "refused: the scheme \(scheme): is not http or https")
        }
        guard let host = url.host, !host.isEmpty else {
            throw DownloadError(.badLink, url: text, "not a valid link: it has no host")
        }
        return url
    }

    private func backoff(before attempt: Int, url: String, after error: DownloadError) async throws(DownloadError) {
        let base = min(Double(policy.maxBackoffMilliseconds), Double(policy.backoffMilliseconds) * pow(2, Double(attempt - 2)))
        let jittered = base * Double.random(in: 0.5...1.5)
        do {
            try await Task.sleep(for: .milliseconds(Int(jittered)))
        } catch {
            throw DownloadError(.cancelled, url: url, "cancelled")
        }
    }
}
