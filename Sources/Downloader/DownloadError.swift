/// Why one download failed. The message names the link; the code says the cause in a word.
package struct DownloadError: Error, Sendable, Codable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        package let rawValue: String
        package init(_ rawValue: String) { self.rawValue = rawValue }
        package static let badLink = Code("bad-link")
        package static let httpStatus = Code("http-status")
        package static let rateLimited = Code("rate-limited")
        package static let notAnImage = Code("not-an-image")
        package static let typeNotWanted = Code("type-not-wanted")
        package static let deleted = Code("deleted")
        /// The body arrived whole but is not a whole image (cut short, malformed, bad CRCs).
        package static let corruptImage = Code("corrupt-image")
        /// The header declares more pixels than `--max-pixels` (a decompression bomb).
        package static let tooManyPixels = Code("too-many-pixels")
        package static let truncated = Code("truncated")
        package static let tooLarge = Code("too-large")
        package static let network = Code("network")
        package static let timeout = Code("timeout")
        package static let write = Code("write")
        package static let diskFull = Code("disk-full")
        package static let cancelled = Code("cancelled")
        package var description: String { rawValue }
    }

    package let code: Code
    package let url: String
    package let message: String
    /// The HTTP status, when the server answered.
    package let status: Int?
    /// Whether trying again may succeed (server errors, dropped connections, truncation).
    package let retryable: Bool
    /// For rate limits: seconds the server asked us to wait.
    package let retryAfter: Double?

    package init(_ code: Code, url: String, _ message: String, status: Int? = nil, retryable: Bool = false,
                retryAfter: Double? = nil) {
        self.code = code
        self.url = url
        self.message = message
        self.status = status
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    package var description: String { "\(url): \(message)" }

    /// This transient failure as the last of `attempts`: still transient (a later pass may
    /// succeed), and saying it was tried that often.
    func givenUp(after attempts: Int) -> DownloadError {
        DownloadError(code, url: url, "\(message) (gave up after \(attempts) attempts)", status: status, retryable: true, retryAfter: retryAfter)
    }
}
