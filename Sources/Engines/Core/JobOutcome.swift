/// What happened to one job: its result and how long it ran.
package struct JobOutcome<Output: Sendable & Codable>: Sendable {
    package var result: Result<Output, JobFailure>
    /// Seconds from the job's start to its end (0 for jobs that never started).
    package var seconds: Double
    /// The worker (thread or process number) that ran it; nil when it never ran.
    package var worker: Int?

    package init(result: Result<Output, JobFailure>, seconds: Double, worker: Int?) {
        self.result = result
        self.seconds = seconds
        self.worker = worker
    }

    package var output: Output? { try? result.get() }
    package var failure: JobFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    /// The outcome of a job a stopped batch never started.
    package static func notStarted(_ reason: StopReason) -> JobOutcome {
        JobOutcome(result: .failure(.stopped(reason, started: false)), seconds: 0, worker: nil)
    }
}
