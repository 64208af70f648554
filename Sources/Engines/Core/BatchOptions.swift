/// How a batch runs, beyond which engine runs it.
public struct BatchOptions: Sendable {
    /// Whole-batch deadline: jobs unfinished when it passes are reported as timed out (like
    /// Python's `Executor.map(timeout=)`, which is for the whole map, not each call).
    public var timeout: Duration?
    /// Stops the batch from outside (Ctrl-C): no new job starts, running jobs are asked to stop.
    public var stop: StopSignal?
    /// Called after each job ends, from whichever thread ended it.
    public var progress: (@Sendable (BatchProgress) -> Void)?
    /// How long running jobs get to notice a stop before the batch returns without them.
    public var grace: Duration

    public init(timeout: Duration? = nil, stop: StopSignal? = nil,
                progress: (@Sendable (BatchProgress) -> Void)? = nil,
                grace: Duration = .seconds(2)) {
        self.timeout = timeout
        self.stop = stop
        self.progress = progress
        self.grace = grace
    }
}

/// Progress of a batch after one more job ended.
public struct BatchProgress: Sendable, Equatable {
    public var total: Int
    public var finished: Int
    public var failed: Int
    public var bytes: Int
}
