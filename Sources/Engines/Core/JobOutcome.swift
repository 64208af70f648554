/// What happened to one job: its result and how long it ran.
public struct JobOutcome<Output: Sendable & Codable>: Sendable, Codable {
    public var result: Result<Output, JobFailure>
    /// Seconds from the job's start to its end (0 for jobs that never started).
    public var seconds: Double
    /// The worker (thread or process number) that ran it; nil when it never ran.
    public var worker: Int?

    public init(result: Result<Output, JobFailure>, seconds: Double, worker: Int?) {
        self.result = result
        self.seconds = seconds
        self.worker = worker
    }

    public var output: Output? { try? result.get() }
    public var failure: JobFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    /// The outcome of a job a stopped batch never started.
    public static func notStarted(_ reason: StopReason) -> JobOutcome {
        JobOutcome(result: .failure(.stopped(reason)), seconds: 0, worker: nil)
    }
}

extension Result: @retroactive Codable where Success: Codable, Failure == JobFailure {
    private enum CodingKeys: String, CodingKey { case success, failure }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let failure = try container.decodeIfPresent(JobFailure.self, forKey: .failure) {
            self = .failure(failure)
        } else {
            self = .success(try container.decode(Success.self, forKey: .success))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .success(let value): try container.encode(value, forKey: .success)
        case .failure(let failure): try container.encode(failure, forKey: .failure)
        }
    }
}
