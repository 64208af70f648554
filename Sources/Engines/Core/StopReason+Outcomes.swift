extension StopReason {
    /// Why a batch with these outcomes was stopped: the reason of its first stopped job, or
    /// nil when none was.
    package static func of<Output>(_ outcomes: [JobOutcome<Output>]) -> StopReason? {
        outcomes.lazy.compactMap { $0.failure?.stopReason }.first
    }
}
