/// A kind of work the engines can run: a pure description (`Codable`, so it can cross a
/// process boundary) that turns one input into one output.
///
/// A workload has two forms. The blocking form runs on whatever thread calls it and is what
/// the thread-based engines and worker processes use; the async form is what the `async`
/// engine uses, and must not block a thread on I/O. Either may throw; engines turn the error
/// into a `JobFailure` for that job alone.
package protocol Workload: Sendable, Codable {
    associatedtype Input: Sendable & Codable
    associatedtype Output: Sendable & Codable

    /// A stable name, used to find the workload in a worker process.
    static var kind: String { get }

    /// Runs one job, blocking the calling thread until it is done.
    func perform(_ input: Input, context: JobContext) throws -> Output

    /// Runs one job without blocking a thread on I/O.
    func performAsync(_ input: Input, context: JobContext) async throws -> Output

    /// Bytes a finished job moved, for progress reports (0 when it doesn't apply).
    func byteCount(of output: Output) -> Int

    /// Work to do once in a worker process before its first job (load a library, say).
    static func prepareWorkerProcess() throws
}

extension Workload {
    package func byteCount(of output: Output) -> Int { 0 }
    package static func prepareWorkerProcess() throws {}

    /// By default the async form runs the blocking one: right for CPU-bound work, which
    /// occupies a thread whichever way it is called.
    package func performAsync(_ input: Input, context: JobContext) async throws -> Output {
        try perform(input, context: context)
    }
}

/// What a running job may ask of the engine running it.
package struct JobContext: Sendable {
    /// Set when the batch is stopped (deadline or cancellation); a long job should check it
    /// between steps and give up, cleaning what it made.
    package let stop: StopSignal
    /// The job's position in the batch.
    package let index: Int
    /// Which worker runs it (thread or process number), for reports.
    package let worker: Int

    package init(stop: StopSignal, index: Int, worker: Int) {
        self.stop = stop
        self.index = index
        self.worker = worker
    }

    /// Throws `JobFailure.stopped` when the batch has been stopped.
    package func checkStopped() throws(JobFailure) {
        if let reason = stop.reason { throw JobFailure.stopped(reason) }
    }
}
