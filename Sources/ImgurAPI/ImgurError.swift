/// Why a call to the Imgur API failed, as one line naming the request.
package struct ImgurError: Error, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        package let rawValue: String
        package init(_ rawValue: String) { self.rawValue = rawValue }
        /// 401/403: the Client-ID is missing or was rejected.
        package static let unauthorized = Code("unauthorized")
        package static let rateLimited = Code("rate-limited")
        /// A 403 whose body says the API is over capacity: a throttle, retried after a pause.
        package static let overCapacity = Code("over-capacity")
        package static let notFound = Code("not-found")
        package static let httpStatus = Code("http-status")
        package static let malformed = Code("malformed-response")
        package static let unsuccessful = Code("unsuccessful")
        package static let network = Code("network")
        package static let badRequest = Code("bad-request")
        /// The calling task was cancelled (Ctrl-C): not the server's fault, never retried.
        package static let cancelled = Code("cancelled")
        package var description: String { rawValue }
    }

    package let code: Code
    /// The request path (never with credentials).
    package let request: String
    package let message: String
    package let status: Int?
    /// For 429: seconds until the limit resets, when the server said.
    package let retryAfter: Double?

    package init(_ code: Code, request: String, _ message: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.code = code
        self.request = request
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    package var description: String { "\(request): \(message)" }
}
