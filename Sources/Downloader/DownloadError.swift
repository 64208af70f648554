/// Why one download failed. The message names the link; the code says the cause in a word.
public struct DownloadError: Error, Sendable, Codable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let badLink = Code("bad-link")
        public static let httpStatus = Code("http-status")
        public static let rateLimited = Code("rate-limited")
        public static let notAnImage = Code("not-an-image")
        public static let typeNotWanted = Code("type-not-wanted")
        public static let deleted = Code("deleted")
        public static let truncated = Code("truncated")
        public static let tooLarge = Code("too-large")
        public static let network = Code("network")
        public static let timeout = Code("timeout")
        public static let write = Code("write")
        public static let diskFull = Code("disk-full")
        public static let cancelled = Code("cancelled")
        public var description: String { rawValue }
    }

    public let code: Code
    public let url: String
    public let message: String
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// Whether trying again may succeed (server errors, dropped connections, truncation).
    public let retryable: Bool
    /// For rate limits: seconds the server asked us to wait.
    public let retryAfter: Double?

    public init(_ code: Code, url: String, _ message: String, status: Int? = nil, retryable: Bool = false,
                retryAfter: Double? = nil) {
        self.code = code
        self.url = url
        self.message = message
        self.status = status
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    public var description: String { "\(url): \(message)" }
}
