/// The bookkeeping of one batch, written once for every engine: which inputs were taken, which
/// have an outcome, the progress so far, whether and why the batch stopped, and when it is
/// over. A pure value: each transition returns what the caller must do (resume a waiter,
/// report progress, start the grace timer), and `BatchStorage` does it outside its lock.
///
/// A batch is over when every input taken has settled (it has an outcome, or it will never
/// run) and no more will be taken: the source is exhausted, or the batch stopped. A stopped
/// batch gives its running jobs a grace period; when it passes, the batch is released: the
/// waiter resumes and outcomes that arrive later are ignored.
///
/// `Waiter` is what resumes the caller of `finish()` (a continuation; tests use a plain value).
struct BatchStateMachine<Output: Sendable & Codable, Waiter> {
    private(set) var outcomes: [Int: JobOutcome<Output>] = [:]
    /// Whether outcomes are kept for `results` (else only reported).
    var keepsOutcomes = true
    private var settled = IndexBits()
    /// Inputs settling right now (their callbacks run outside the lock).
    private var settling = 0
    private(set) var taken = 0
    private(set) var progress = BatchProgress(total: 0, finished: 0, failed: 0, bytes: 0)
    private(set) var exhausted = false
    private(set) var stopReason: StopReason?
    private(set) var released = false
    private var waiter: Waiter?

    /// Nothing taken is unsettled, and nothing more will be taken.
    var isOver: Bool { settled.count == taken && settling == 0 && (exhausted || stopReason != nil) }

    // MARK: inputs

    /// Whether the engine may take another input from the source.
    var mayTake: Bool { stopReason == nil && !exhausted && !released }

    /// What to do with an input just taken.
    enum TookAction: Equatable {
        /// Run it.
        case run
        /// Don't: the batch stopped while it was being taken; it settles unrun.
        case skip
    }

    /// The source handed out input `index`.
    mutating func took(_ index: Int) -> TookAction {
        taken += 1
        return stopReason == nil ? .run : .skip
    }

    /// The source has no more inputs. Returns the waiter to resume if that ends the batch.
    mutating func sourceExhausted() -> Waiter? {
        exhausted = true
        return releaseIfOver()
    }

    // MARK: outcomes

    /// What to do with an outcome that arrived.
    enum SettleAction: Equatable {
        /// Report it (the outcome callback, then progress), then call `settled(_:)`.
        case report(BatchProgress)
        /// Nothing to report (it never ran, or the batch was released); call `settled(_:)`.
        case quiet
        /// The input has settled already: do nothing more.
        case duplicate
    }

    /// Input `index` ended with `outcome` (nil: it never ran). `total` is the source's count
    /// when known; `bytes` is what the job moved.
    mutating func settling(_ index: Int, _ outcome: JobOutcome<Output>?, bytes: Int, total: Int?) -> SettleAction {
        guard settled.insert(index) else { return .duplicate }
        settling += 1
        guard let outcome, !released else { return .quiet }
        if keepsOutcomes { outcomes[index] = outcome }
        progress.total = total ?? 0
        progress.finished += 1
        if outcome.failure != nil { progress.failed += 1 } else { progress.bytes += bytes }
        return .report(progress)
    }

    /// The callbacks of a settling input are done. Returns the waiter to resume if the batch
    /// is now over.
    mutating func settled(_ index: Int) -> Waiter? {
        settling -= 1
        return releaseIfOver()
    }

    // MARK: stopping

    /// What a stop asks of the storage.
    struct StopAction {
        /// Wake whatever waits on the source.
        var stopSource = true
        /// Start the grace timer (jobs are still running).
        var startGrace: Bool
        /// Resume this waiter now (nothing was running).
        var resume: Waiter?
    }

    /// The batch stopped (deadline or cancellation). Nil when it had stopped already.
    mutating func stop(_ reason: StopReason) -> StopAction? {
        guard stopReason == nil else { return nil }
        stopReason = reason
        let resume = releaseIfOver()
        return StopAction(startGrace: !released, resume: resume)
    }

    /// The grace period after a stop passed: the batch is released whatever still runs.
    mutating func graceOver() -> Waiter? {
        guard stopReason != nil, !released else { return nil }
        released = true
        return waiter.take()
    }

    // MARK: the end

    /// What `finish()` does with its waiter.
    enum WaitAction: Equatable { case resumeNow, suspend }

    /// The caller of `finish()` waits with `waiter`, unless the batch is over already.
    mutating func wait(_ waiter: Waiter) -> WaitAction {
        if released || isOver {
            released = true
            return .resumeNow
        }
        self.waiter = waiter
        return .suspend
    }

    /// One outcome per input, in input order: at least `knownCount` (what the source says it
    /// held), padded with "not started" for inputs that never ran. Releases the batch. Empty
    /// when outcomes aren't kept (the caller had them as they came).
    /// `signalled` is the stop signal's reason, which may be set before `stop(_:)` is called
    /// (the signal's handlers run in no particular order).
    mutating func results(knownCount: Int?, signalled: StopReason? = nil) -> [JobOutcome<Output>] {
        released = true
        guard keepsOutcomes else { return [] }
        let reason = stopReason ?? signalled ?? .cancelled
        let total = max(knownCount ?? 0, taken, (outcomes.keys.max() ?? -1) + 1)
        return (0..<total).map { outcomes[$0] ?? .notStarted(reason) }
    }

    private mutating func releaseIfOver() -> Waiter? {
        guard isOver, let waiter = waiter.take() else { return nil }
        released = true
        return waiter
    }
}
