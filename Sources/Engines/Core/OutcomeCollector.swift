import Dispatch
import Locking

/// The bookkeeping shared by the thread-based engines: it hands out inputs from the source,
/// records outcomes, reports progress, and tells the engine when the batch is over: every
/// input taken has an outcome and the source is exhausted, or the batch stopped and the jobs
/// running have ended (or had their grace period).
///
/// The state sits under one lock; continuations are resumed and callbacks run outside it.
final class OutcomeCollector<Source: JobSource, Output: Sendable & Codable>: Sendable {
    private struct State {
        var outcomes: [Int: JobOutcome<Output>] = [:]
        var settledIndexes = Set<Int>()
        var issued = 0
        var settled = 0
        var failed = 0
        var bytes = 0
        var exhausted = false
        var waiter: CheckedContinuation<Void, Never>?
        var released = false

        /// Over: nothing issued is unsettled, and no more will be issued.
        func isOver(stopped: Bool) -> Bool { settled == issued && (exhausted || stopped) }
    }

    private let state = Locked(State())
    let source: Source
    let stop: StopSignal
    private let progress: (@Sendable (BatchProgress) -> Void)?
    private let onOutcome: (@Sendable (Int, JobOutcome<Output>) -> Void)?
    private let grace: Duration

    init(source: Source, options: BatchOptions, onOutcome: (@Sendable (Int, JobOutcome<Output>) -> Void)?) {
        self.source = source
        self.progress = options.progress
        self.onOutcome = onOutcome
        self.grace = options.grace
        let stop = StopSignal()
        if let parent = options.stop { stop.follow(parent) }
        self.stop = stop
        stop.onStop { _ in source.stopWaiting() }
        if let timeout = options.timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatchInterval) { [weak stop] in
                stop?.stop(.timedOut)
            }
        }
    }

    /// The next input to run, or nil when the source is exhausted or the batch stopped.
    /// May block (a channel source waits for its producer).
    func take() -> (index: Int, input: Source.Input)? {
        guard !stop.isStopped, let item = source.nextBlocking() else {
            markExhausted()
            return nil
        }
        state.withLock { $0.issued += 1 }
        return item
    }

    private func markExhausted() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.exhausted = true
            return state.isOver(stopped: stop.isStopped) ? Self.release(&state) : nil
        }
        waiter?.resume()
    }

    /// Runs a taken input, unless the batch stopped meanwhile (then it is settled unrun).
    func runOrSkip<W: Workload>(_ workload: W, _ item: (index: Int, input: Source.Input), worker: Int)
        where W.Input == Source.Input, W.Output == Output {
        guard !stop.isStopped else { return settle(item.index, nil, bytes: 0) }
        let clock = ContinuousClock()
        let start = clock.now
        let result: Result<Output, JobFailure>
        do {
            result = .success(try workload.perform(item.input, context: JobContext(stop: stop, index: item.index, worker: worker)))
        } catch {
            let failure = JobFailure(error)
            result = .failure(failure.isStop ? .stopped(stop.reason ?? .cancelled) : failure)
        }
        let bytes = (try? result.get()).map(workload.byteCount(of:)) ?? 0
        settle(item.index, JobOutcome(result: result, seconds: (clock.now - start).seconds, worker: worker), bytes: bytes)
    }

    /// Records an outcome (nil: the input never ran). The callbacks run before the input
    /// counts as settled, so the batch can't end while one of them is still running.
    private func settle(_ index: Int, _ outcome: JobOutcome<Output>?, bytes: Int) {
        let snapshot: BatchProgress?? = state.withLock { state in
            guard state.settledIndexes.insert(index).inserted else { return .none }
            guard let outcome, !state.released else { return .some(nil) }
            state.outcomes[index] = outcome
            if outcome.failure != nil { state.failed += 1 }
            state.bytes += bytes
            return .some(BatchProgress(total: source.knownCount ?? 0, finished: state.outcomes.count,
                                       failed: state.failed, bytes: state.bytes))
        }
        guard case .some(let progressSnapshot) = snapshot else { return } // settled already
        if let progressSnapshot, let outcome {
            onOutcome?(index, outcome)
            progress?(progressSnapshot)
        }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.settled += 1
            return state.isOver(stopped: stop.isStopped) ? Self.release(&state) : nil
        }
        waiter?.resume()
    }

    /// Settles an input that was taken but will never run (a cancelled operation); nothing
    /// happens if it already has an outcome.
    func skipIfUnsettled(_ index: Int) {
        settle(index, nil, bytes: 0)
    }

    /// Waits until the batch is over (see the type's description), then returns one outcome
    /// per input, "timed out" or "cancelled" for those that never ran.
    func finish() async -> [JobOutcome<Output>] {
        let handler = Locked<Int?>(nil)
        defer { if let id = handler.withLock({ $0 }) { stop.removeHandler(id) } }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.released || state.isOver(stopped: stop.isStopped) { state.released = true; return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume(); return }
            let id = stop.onStop { [self] _ in
                let now = state.withLock { state in state.isOver(stopped: true) ? Self.release(&state) : nil }
                now?.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + grace.dispatchInterval) { [self] in
                    state.withLock { Self.release(&$0) }?.resume()
                }
            }
            handler.withLock { $0 = id }
        }
        let reason = stop.reason ?? .cancelled
        return state.withLock { state in
            state.released = true
            let total = max(source.knownCount ?? 0, state.issued, (state.outcomes.keys.max() ?? -1) + 1)
            return (0..<total).map { state.outcomes[$0] ?? .notStarted(reason) }
        }
    }

    private static func release(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        state.released = true
        return state.waiter.take()
    }
}

extension Duration {
    /// This duration in seconds.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// This duration for Dispatch (never negative).
    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(clamping: max(0, components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)))
    }
}
