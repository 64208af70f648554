import AsyncHTTPClient
import Basics
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Calls the Imgur API (or anything that speaks it, like `skein serve`) with a Client-ID.
/// Answers are decoded from Imgur's envelope; every failure becomes an `ImgurError` naming the
/// request and the cause. Server errors and dropped connections are retried; a 429 waits for
/// the time the server gives (at most `maxRateLimitWait`) and tries again.
package struct ImgurClient: Sendable {
    /// The API's base, like `https://api.imgur.com`.
    package let base: String
    private let clientID: ClientID?
    private let http: HTTPClient
    package var timeout: Double = 30
    package var retries = 3
    package var maxRateLimitWait: Double = 60
    /// Attempts at a request the API keeps answering "over capacity".
    package var overCapacityAttempts = 8
    /// One pause for every request of this client: a 429 or an "over capacity" seen by one
    /// holds all of them (album fetches run side by side) until it has passed.
    private let pause = SharedPause()
    /// The largest response body read.
    package var maxBodyBytes = 32 << 20

    package init(base: String, clientID: ClientID?, http: HTTPClient) {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.base = trimmed
        self.clientID = clientID
        self.http = http
    }

    /// A decoded answer and the rate-limit state the response reported.
    package struct Answer<T> {
        // Sendable when T is (below).
        package var value: T
        package var rateLimit: RateLimitStatus?
    }

    /// `GET path`, decoding `data` as `T`.
    package func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws(ImgurError) -> Answer<T> {
        var attempt = 0
        while true {
            attempt += 1
            do { try await pause.wait() } catch { throw Self.cancelled(path) }
            do {
                return try await getOnce(path, as: type)
            } catch {
                let wait: Double
                var shared = false
                switch error.code {
                case .rateLimited:
                    guard let after = error.retryAfter, after <= maxRateLimitWait else { throw error }
                    guard attempt <= retries, !Task.isCancelled else { throw Task.isCancelled ? Self.cancelled(path) : error }
                    wait = max(0.05, after)
                    shared = true
                case .network:
                    wait = 0.2 * pow(2, Double(attempt - 1))
                case .overCapacity:
                    // Imgur's "over capacity" 403: a throttle, not a refusal. Longer waits, more
                    // of them, and everyone waits.
                    guard attempt < overCapacityAttempts, !Task.isCancelled else { throw Task.isCancelled ? Self.cancelled(path) : error }
                    wait = min(30, error.retryAfter ?? pow(2, Double(attempt - 1)))
                    shared = true
                case .httpStatus where (error.status ?? 0) >= 500:
                    wait = 0.2 * pow(2, Double(attempt - 1))
                default:
                    throw error
                }
                if shared {
                    pause.hold(for: wait)
                    continue
                }
                guard attempt <= retries, !Task.isCancelled else { throw Task.isCancelled ? Self.cancelled(path) : error }
                do { try await Task.sleep(for: .seconds(wait)) } catch {
                    throw Self.cancelled(path)
                }
            }
        }
    }

    private func getOnce<T: Decodable>(_ path: String, as type: T.Type) async throws(ImgurError) -> Answer<T> {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: SkeinVersion.userAgent)
        if let clientID { request.headers.add(name: "Authorization", value: clientID.headerValue) }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, deadline: .now() + .milliseconds(Int64(timeout * 1000)))
            body = try await response.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw ImgurError(.malformed, request: path, "response larger than \(maxBodyBytes) bytes")
        } catch {
            if Task.isCancelled || error is CancellationError || (error as? HTTPClientError) == .cancelled { throw Self.cancelled(path) }
            throw ImgurError(.network, request: path, "cannot reach \(base): \(error)")
        }
        let rateLimit = RateLimitStatus(headers: response.headers)
        let status = Int(response.status.code)
        let bytes = Data(body.readableBytesView)
        // The path only: the Client-ID travels in a header and is never logged.
        Log.api.debug("api-request", metadata: ["path": "\(path)", "status": "\(status)", "bytes": "\(bytes.count)"])
        guard status == 200 else {
            throw Self.failure(status: status, reason: response.status.reasonPhrase, body: bytes,
                               headers: response.headers, path: path, hasClientID: clientID != nil)
        }
        return Answer(value: try Self.decode(bytes, as: T.self, path: path), rateLimit: rateLimit)
    }

    /// The `data` of an API answer's envelope (`{"data": …, "success": true, "status": 200}`).
    /// - Throws: `ImgurError` `.unsuccessful` when the API says so, `.malformed` for anything
    ///   else that isn't the expected shape, naming `path` and where the shape broke.
    package static func decode<T: Decodable>(_ bytes: Data, as type: T.Type, path: String) throws(ImgurError) -> T {
        let envelope: Envelope<T>
        do {
            envelope = try JSONDecoder().decode(Envelope<T>.self, from: bytes)
        } catch {
            if let failed = try? JSONDecoder().decode(Envelope<ErrorPayload>.self, from: bytes), !failed.success {
                throw ImgurError(.unsuccessful, request: path, "the API reported failure: \(failed.data.error)", status: failed.status)
            }
            throw ImgurError(.malformed, request: path, "unexpected response: \(DecodingFailure.describe(error))")
        }
        guard envelope.success else {
            throw ImgurError(.unsuccessful, request: path, "the API answered success: false (status \(envelope.status))", status: envelope.status)
        }
        return envelope.data
    }

    /// A gallery's (or a tag's, or a subreddit's, or an album's) answer: its items, and a line
    /// for each element that isn't one.
    package static func decodeItems(_ bytes: Data, path: String) throws(ImgurError) -> LossyList<ImgurItem> {
        try decode(bytes, as: LossyList<ImgurItem>.self, path: path)
    }

    static func failure(status: Int, reason: String, body: Data, headers: HTTPHeaders, path: String, hasClientID: Bool) -> ImgurError {
        let detail = (try? JSONDecoder().decode(Envelope<ErrorPayload>.self, from: body)).map { ": \($0.data.error)" } ?? ""
        switch status {
        case 403 where detail.lowercased().contains("over capacity") || String(decoding: body.prefix(512), as: UTF8.self).lowercased().contains("over capacity"):
            let retryAfter = headers.first(name: "Retry-After").flatMap(Double.init)
            return ImgurError(.overCapacity, request: path, "HTTP 403\(detail): the API is over capacity (a throttle: retried after a pause)",
                              status: status, retryAfter: retryAfter)
        case 401, 403:
            let hint = hasClientID ? "the Client-ID was rejected" : "no Client-ID was sent (set IMGUR_CLIENT_ID or --client-id-file)"
            return ImgurError(.unauthorized, request: path, "HTTP \(status) \(reason)\(detail); \(hint)", status: status)
        case 429:
            let now = Date().timeIntervalSince1970
            let retryAfter = headers.first(name: "Retry-After").flatMap(Double.init)
                ?? headers.first(name: "X-RateLimit-UserReset").flatMap(Double.init).map { max(0, $0 - now) }
            let when = retryAfter.map { String(format: "; resets in %.0f s", $0) } ?? ""
            return ImgurError(.rateLimited, request: path, "HTTP 429 rate limited\(detail)\(when)", status: status, retryAfter: retryAfter)
        case 404:
            return ImgurError(.notFound, request: path, "HTTP 404 not found\(detail)", status: status)
        default:
            return ImgurError(.httpStatus, request: path, "HTTP \(status) \(reason)\(detail)", status: status)
        }
    }

    private static func cancelled(_ path: String) -> ImgurError { ImgurError(.cancelled, request: path, "cancelled") }
}

extension ImgurClient.Answer: Sendable where T: Sendable {}

/// A pause every request of a client waits out before it goes.
final class SharedPause: Sendable {
    private let until = Locked<ContinuousClock.Instant?>(nil)

    /// Holds every request for `seconds` from now (a longer pause already set stays).
    func hold(for seconds: Double) {
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        until.withLock { $0 = max($0 ?? end, end) }
    }

    /// Returns once no pause is set or it has passed.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func wait() async throws {
        while let end = until.withLock({ $0 }), end > ContinuousClock.now {
            try await Task.sleep(until: end, clock: .continuous)
        }
    }
}
