/// The rules every download follows.
public struct DownloadPolicy: Sendable, Codable, Hashable {
    /// Image kinds kept (by their bytes): `jpeg`, `png`, `gif`.
    public var allowedKinds: Set<String>
    /// The largest body accepted; bigger ones fail as `too-large` and leave nothing behind.
    public var maxBytes: Int
    /// Attempts after the first, for server errors, dropped connections and truncation.
    public var retries: Int
    /// First backoff delay; doubles each retry, with jitter.
    public var backoffMilliseconds: Int
    /// Seconds to connect.
    public var connectTimeout: Double
    /// Seconds without a byte before a stalled response is abandoned.
    public var readTimeout: Double
    /// Seconds for one whole request, body included.
    public var requestTimeout: Double
    /// Times one item may be told "429, wait" before it fails as rate limited.
    public var rateLimitRetries: Int

    public init(allowedKinds: Set<String> = ["jpeg", "png", "gif"], maxBytes: Int = 50 << 20,
                retries: Int = 3, backoffMilliseconds: Int = 200, connectTimeout: Double = 10,
                readTimeout: Double = 20, requestTimeout: Double = 300, rateLimitRetries: Int = 20) {
        self.rateLimitRetries = rateLimitRetries
        self.allowedKinds = allowedKinds
        self.maxBytes = maxBytes
        self.retries = retries
        self.backoffMilliseconds = backoffMilliseconds
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.requestTimeout = requestTimeout
    }
}
