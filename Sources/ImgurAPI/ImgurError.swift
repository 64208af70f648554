/// Why a call to the Imgur API failed, as one line naming the request.
public struct ImgurError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// 401/403: the Client-ID is missing or was rejected.
        public static let unauthorized = Code("unauthorized")
        public static let rateLimited = Code("rate-limited")
        public static let notFound = Code("not-found")
        public static let httpStatus = Code("http-status")
        public static let malformed = Code("malformed-response")
        public static let unsuccessful = Code("unsuccessful")
        public static let network = Code("network")
        public static let badRequest = Code("bad-request")
        public var description: String { rawValue }
    }

    public let code: Code
    /// The request path (never with credentials).
    public let request: String
    public let message: String
    public let status: Int?
    /// For 429: seconds until the limit resets, when the server said.
    public let retryAfter: Double?

    public init(_ code: Code, request: String, _ message: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.code = code
        self.request = request
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String { "\(request): \(message)" }
}
