/// How a batch runs, beyond which engine runs it.
package struct BatchOptions: Sendable {
    /// Whole-batch deadline: jobs unfinished when it passes are reported as timed out (like
    /// Python's `Executor.map(timeout=)`, which is for the whole map, not each call).
    package var timeout: Duration?
    /// Stops the batch from outside (Ctrl-C): no new job starts, running jobs are asked to stop.
    package var stop: StopSignal?
    /// Called after each job ends, from whichever thread ended it.
    package var progress: (@Sendable (BatchProgress) -> Void)?
    /// How long running jobs get to notice a stop before the batch returns without them.
    package var grace: Duration
    /// Where a run that owns this batch collects what its worker processes used.
    package var usage: WorkerUsage?
    /// Whether the batch keeps every outcome to return them at the end. A caller that takes
    /// them as they come (`onOutcome`) and may run a very long batch says no: the engine then
    /// returns no outcomes, and its memory doesn't grow with the batch.
    package var keepsOutcomes = true

    package init(timeout: Duration? = nil, stop: StopSignal? = nil,
                progress: (@Sendable (BatchProgress) -> Void)? = nil,
                grace: Duration = .seconds(2), usage: WorkerUsage? = nil) {
        self.timeout = timeout
        self.stop = stop
        self.progress = progress
        self.grace = grace
        self.usage = usage
    }
}

/// Progress of a batch after one more job ended.
package struct BatchProgress: Sendable, Equatable {
    package init(total: Int, finished: Int, failed: Int, bytes: Int) {
        self.total = total
        self.finished = finished
        self.failed = failed
        self.bytes = bytes
    }

    package var total: Int
    package var finished: Int
    package var failed: Int
    package var bytes: Int
}
