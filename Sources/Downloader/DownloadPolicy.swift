/// The rules every download follows.
package struct DownloadPolicy: Sendable, Codable, Hashable {
    /// Image kinds kept (by their bytes): `jpeg`, `png`, `gif`.
    package var allowedKinds: Set<String>
    /// The largest body accepted; bigger ones fail as `too-large` and leave nothing behind.
    package var maxBytes: Int
    /// The most pixels an image's header may declare; more fail as `too-many-pixels`.
    package var maxPixels: Int
    /// Attempts after the first, for server errors, dropped connections and truncation.
    package var retries: Int
    /// Seconds from an item's first attempt after which it is not retried again (its time
    /// budget); waiting for a rate limit doesn't count.
    package var retryWindow: Double
    /// The longest wait between two attempts.
    package var maxBackoffMilliseconds: Int
    /// First backoff delay; doubles each retry, with jitter.
    package var backoffMilliseconds: Int
    /// Seconds to connect.
    package var connectTimeout: Double
    /// Seconds without a byte before a stalled response is abandoned.
    package var readTimeout: Double
    /// Seconds for one whole request, body included.
    package var requestTimeout: Double
    /// Times one item may be told "429, wait" before it fails as rate limited.
    package var rateLimitRetries: Int
    /// Decode every image fully before keeping it (`--verify decode`), beyond the structural
    /// check every download gets; needs the downloader's `verifier`.
    package var verifyDecode = false

    package init(allowedKinds: Set<String> = ["jpeg", "png", "gif", "mp4"], maxBytes: Int = 50 << 20, maxPixels: Int = 100_000_000,
                retries: Int = 6, backoffMilliseconds: Int = 200, connectTimeout: Double = 10,
                readTimeout: Double = 20, requestTimeout: Double = 300, rateLimitRetries: Int = 20,
                retryWindow: Double = 120, maxBackoffMilliseconds: Int = 5_000) {
        self.rateLimitRetries = rateLimitRetries
        self.retryWindow = retryWindow
        self.maxBackoffMilliseconds = maxBackoffMilliseconds
        self.allowedKinds = allowedKinds
        self.maxPixels = maxPixels
        self.maxBytes = maxBytes
        self.retries = retries
        self.backoffMilliseconds = backoffMilliseconds
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.requestTimeout = requestTimeout
    }
}
