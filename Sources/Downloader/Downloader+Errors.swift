import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SafeFiles

extension Downloader {
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
