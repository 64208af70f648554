import AsyncHTTPClient
import Foundation
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

    package init(directory: String, policy: DownloadPolicy = DownloadPolicy(), gates: RateLimitGates = RateLimitGates()) {
        self.directory = directory
        self.policy = policy
        self.gates = gates
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

    /// Downloads `request`.
    /// - Throws: `DownloadError` naming the link and the cause.
    package func download(_ request: DownloadRequest) async throws(DownloadError) -> DownloadResult {
        let url = try Self.validatedURL(request.url)
        var attempt = 0
        var rateLimited = 0
        let gate = gates.gate(for: url)
        while true {
            attempt += 1
            do throws(DownloadError) {
                do { try await gate.wait() } catch { throw DownloadError(.cancelled, url: request.url, "cancelled") }
                return try await attemptDownload(request, url: url, attempt: attempt)
            } catch {
                guard !Task.isCancelled else { throw error }
                if error.code == .rateLimited {
                    // Every worker waits for the reset; being told to wait is not a failure of
                    // this item, so it has a budget of its own.
                    rateLimited += 1
                    guard rateLimited <= policy.rateLimitRetries else { throw error }
                    gate.pause(seconds: error.retryAfter ?? 1)
                    attempt -= 1
                    continue
                }
                guard error.retryable, attempt <= policy.retries else { throw error }
                try await backoff(before: attempt + 1, url: request.url, after: error)
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
        let base = Double(policy.backoffMilliseconds) * pow(2, Double(attempt - 2))
        let jittered = base * Double.random(in: 0.5...1.5)
        do {
            try await Task.sleep(for: .milliseconds(Int(jittered)))
        } catch {
            throw DownloadError(.cancelled, url: url, "cancelled")
        }
    }

    private func attemptDownload(_ request: DownloadRequest, url: URL, attempt: Int) async throws(DownloadError) -> DownloadResult {
        let link = request.url
        var httpRequest = HTTPClientRequest(url: url.absoluteString)
        httpRequest.headers.add(name: "User-Agent", value: "skein/1.0")
        let response: HTTPClientResponse
        do {
            response = try await HTTPClients.client(for: policy)
                .execute(httpRequest, deadline: .now() + .milliseconds(Int64(policy.requestTimeout * 1000)))
        } catch {
            throw Self.classify(error, url: link, phase: "connecting")
        }
        if let final = response.url, final.path.hasSuffix("/removed.png") {
            throw DownloadError(.deleted, url: link, "deleted on the server (redirected to \(final.lastPathComponent))", status: Int(response.status.code))
        }
        guard response.status == .ok else {
            let code = Int(response.status.code)
            if code == 429 {
                let wait = Self.retryAfter(response.headers)
                throw DownloadError(.rateLimited, url: link, "rate limited by the server (HTTP 429)", status: code,
                                    retryable: true, retryAfter: wait)
            }
            throw DownloadError(.httpStatus, url: link, "HTTP \(code) \(response.status.reasonPhrase)", status: code, retryable: code >= 500)
        }
        // A budget used up: everyone waits for the reset before the next request.
        if ["X-RateLimit-UserRemaining", "X-RateLimit-ClientRemaining"].contains(where: { response.headers.first(name: $0) == "0" }) {
            gates.gate(for: url).pause(seconds: Self.retryAfter(response.headers) ?? 1)
        }
        let expected = response.headers.first(name: "Content-Length").flatMap(Int.init)
        if let expected, expected > policy.maxBytes {
            throw DownloadError(.tooLarge, url: link, "refused: \(expected) bytes is over the limit of \(policy.maxBytes) (--max-bytes)")
        }

        let file: StagedFile
        do { file = try StagedFile(in: directory) } catch { throw Self.fileError(error, url: link) }
        var checksum = CRC32()
        var head: [UInt8] = []
        var kind: ImageKind?
        var total = 0
        do {
            for try await chunk in response.body {
                total += chunk.readableBytes
                if total > policy.maxBytes {
                    file.discard()
                    throw DownloadError(.tooLarge, url: link, "refused: the body passed the limit of \(policy.maxBytes) bytes (--max-bytes)")
                }
                if kind == nil {
                    head.append(contentsOf: chunk.readableBytesView.prefix(16 - head.count))
                    if head.count >= 8 {
                        kind = try checkKind(head, url: link, file: file)
                    }
                }
                var failure: FileError?
                chunk.withUnsafeReadableBytes { raw in
                    checksum.update(raw)
                    do throws(FileError) { try file.write(raw) } catch { failure = error }
                }
                if let failure { file.discard(); throw Self.fileError(failure, url: link) }
            }
        } catch let error as DownloadError {
            file.discard()
            throw error
        } catch {
            file.discard()
            let failure = Self.classify(error, url: link, phase: "after \(total) bytes")
            // The connection failing part-way through a body (reset, or the parser seeing it
            // end early) is a truncated download.
            if failure.code == .network {
                throw DownloadError(.truncated, url: link, "truncated: the connection failed after \(total) bytes (\(error))", retryable: true)
            }
            throw failure
        }
        if let expected, total != expected {
            file.discard()
            throw DownloadError(.truncated, url: link, "truncated: got \(total) of \(expected) bytes", retryable: true)
        }
        if kind == nil {
            kind = try checkKind(head, url: link, file: file)
        }
        let published: Published
        do {
            published = try file.publishWithoutOverwriting(as: request.stem + kind!.fileExtension)
        } catch {
            throw Self.fileError(error, url: link)
        }
        return DownloadResult(url: link, file: published.name, bytes: total, crc32: checksum.hex,
                              kind: kind!.rawValue, alreadyPresent: published.alreadyPresent, attempts: attempt)
    }

    /// The kind the first bytes announce, if it is wanted; otherwise discards and throws.
    private func checkKind(_ head: [UInt8], url: String, file: StagedFile) throws(DownloadError) -> ImageKind {
        guard let kind = ImageKind.sniff(head) else {
            file.discard()
            throw DownloadError(.notAnImage, url: url, "not an image: the server sent \(ImageKind.describe(head))")
        }
        guard policy.allowedKinds.contains(kind.rawValue) else {
            file.discard()
            throw DownloadError(.typeNotWanted, url: url, "skipped: \(kind.rawValue) is not among the wanted types (--types)")
        }
        return kind
    }

    /// Seconds to wait, from `Retry-After` (seconds) or `X-RateLimit-UserReset` (epoch seconds).
    static func retryAfter(_ headers: HTTPHeaders) -> Double? {
        if let seconds = headers.first(name: "Retry-After").flatMap(Double.init) { return seconds }
        if let reset = headers.first(name: "X-RateLimit-UserReset").flatMap(Double.init) {
            return max(0, reset - Date().timeIntervalSince1970)
        }
        return nil
    }

    static func fileError(_ error: FileError, url: String) -> DownloadError {
        DownloadError(error.code == .diskFull ? .diskFull : .write, url: url, error.description)
    }

    static func classify(_ error: any Error, url: String, phase: String) -> DownloadError {
        if error is CancellationError { return DownloadError(.cancelled, url: url, "cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return DownloadError(.cancelled, url: url, "cancelled")
            case .readTimeout: return DownloadError(.timeout, url: url, "stalled: no data for the read timeout \(phase)", retryable: true)
            case .connectTimeout: return DownloadError(.timeout, url: url, "timed out connecting", retryable: true)
            case .deadlineExceeded: return DownloadError(.timeout, url: url, "timed out: the request took longer than its deadline", retryable: true)
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return DownloadError(.truncated, url: url, "truncated: the server closed the connection \(phase)", retryable: true)
            case .redirectLimitReached, .redirectCycleDetected:
                return DownloadError(.httpStatus, url: url, "too many redirects")
            default: break
            }
        }
        return DownloadError(.network, url: url, "network error \(phase): \(error)", retryable: true)
    }
}
