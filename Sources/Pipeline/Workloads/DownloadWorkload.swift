import Downloader
import Engines
import Thumbnailer

/// The download job kind: one `DownloadRequest` → one file in the output folder.
package struct DownloadWorkload: Workload {
    package static let kind = "download"
    package var downloader: Downloader

    /// With `--verify decode`, the downloader gets the thumbnail decoders to verify with, here
    /// and (decoded from the job) in a worker process.
    package init(downloader: Downloader) {
        self.downloader = downloader
        if downloader.policy.verifyDecode, downloader.verifier == nil { self.downloader.verifier = DecodeVerifier() }
    }

    private enum CodingKeys: String, CodingKey { case downloader }

    package init(from decoder: any Decoder) throws {
        self.init(downloader: try decoder.container(keyedBy: CodingKeys.self).decode(Downloader.self, forKey: .downloader))
    }

    /// Non-blocking: awaits the HTTP client. Cancelling the task (the async engine does when
    /// the batch stops) aborts the transfer and deletes the temporary file.
    package func performAsync(_ input: DownloadRequest, context: JobContext) async throws -> DownloadResult {
        try context.checkStopped()
        return try await downloadOrFail(input, lane: context.worker)
    }

    /// Blocking: the calling thread waits while the transfer runs on the HTTP client's event
    /// loop. This is what thread-based engines measure: one blocked thread per download.
    package func perform(_ input: DownloadRequest, context: JobContext) throws -> DownloadResult {
        try context.checkStopped()
        return try BlockingBridge.run(stop: context.stop) { try await downloadOrFail(input, lane: context.worker) }
    }

    package func byteCount(of output: DownloadResult) -> Int { output.bytes }

    private func downloadOrFail(_ input: DownloadRequest, lane: Int) async throws(JobFailure) -> DownloadResult {
        do {
            return try await downloader.download(input, lane: lane)
        } catch {
            throw JobFailure(code: error.code.rawValue, message: error.description, transient: error.retryable)
        }
    }
}
