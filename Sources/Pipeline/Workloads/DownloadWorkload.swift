import Dispatch
import Downloader
import Engines
import Synchronization

/// The download job kind: one `DownloadRequest` → one file in the output folder.
public struct DownloadWorkload: Workload {
    public static let kind = "download"
    public var downloader: Downloader

    public init(downloader: Downloader) { self.downloader = downloader }

    /// Non-blocking: awaits the HTTP client. Cancelling the task (the async engine does when
    /// the batch stops) aborts the transfer and deletes the temporary file.
    public func performAsync(_ input: DownloadRequest, context: JobContext) async throws -> DownloadResult {
        try context.checkStopped()
        return try await downloadOrFail(input)
    }

    /// Blocking: the calling thread waits while the transfer runs on the HTTP client's event
    /// loop. This is what thread-based engines measure: one blocked thread per download.
    public func perform(_ input: DownloadRequest, context: JobContext) throws -> DownloadResult {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<DownloadResult, any Error>?>(nil)
        // An unstructured task is the bridge from a blocking thread into async code.
        let task = Task {
            let result: Result<DownloadResult, any Error>
            do { result = .success(try await downloadOrFail(input)) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        let handler = context.stop.onStop { _ in task.cancel() }
        done.wait()
        context.stop.removeHandler(handler)
        return try outcome.withLock { $0! }.get()
    }

    public func byteCount(of output: DownloadResult) -> Int { output.bytes }

    private func downloadOrFail(_ input: DownloadRequest) async throws(JobFailure) -> DownloadResult {
        do {
            return try await downloader.download(input)
        } catch {
            throw JobFailure(code: error.code.rawValue, message: error.description)
        }
    }
}
