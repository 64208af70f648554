import Basics

/// The one batch scaffold every engine runs on: it holds a `BatchStateMachine` under a lock
/// and performs what the machine decides outside it: resuming the waiter, calling the outcome
/// and progress callbacks, waking the source, and the deadline and grace timers.
///
/// An engine takes inputs through `take()` or `next()`, runs each with `run(_:_:worker:)` or
/// `runAsync(_:_:worker:)` (or settles it itself), and ends with `finish()` (waits for the
/// batch to be over) or `results()` (when the engine knows it is over).
final class BatchStorage<Source: JobSource, Output: Sendable & Codable>: Sendable {
    private typealias Machine = BatchStateMachine<Output, CheckedContinuation<Void, Never>>

    /// What an engine adds to a stop: cancel its queue, signal its workers.
    struct Hooks: Sendable {
        var onStop: (@Sendable (StopReason) -> Void)?
        var onGraceOver: (@Sendable () -> Void)?
        init(onStop: (@Sendable (StopReason) -> Void)? = nil, onGraceOver: (@Sendable () -> Void)? = nil) {
            self.onStop = onStop
            self.onGraceOver = onGraceOver
        }
    }

    private let machine = Locked(Machine())
    private let timers = Locked<[OneShotTimer]>([])
    private let stopHandler = Locked<Int?>(nil)
    /// The handler that makes `stop` follow the parent signal, removed when the batch ends.
    private let parentHandler = Locked<(signal: StopSignal, id: Int)?>(nil)
    let source: Source
    /// Set when the batch stops; jobs poll it through their `JobContext`.
    let stop = StopSignal()
    private let options: BatchOptions
    private let onOutcome: (@Sendable (Int, JobOutcome<Output>) -> Void)?
    private let hooks: Hooks

    init(source: Source, options: BatchOptions, onOutcome: (@Sendable (Int, JobOutcome<Output>) -> Void)?,
         hooks: Hooks = Hooks()) {
        self.source = source
        self.options = options
        self.onOutcome = onOutcome
        self.hooks = hooks
        machine.withLock { $0.keepsOutcomes = options.keepsOutcomes }
        let id = stop.onStop { [weak self] reason in self?.stopped(reason) }
        stopHandler.withLock { $0 = id }
        if let parent = options.stop {
            let id = stop.follow(parent)
            parentHandler.withLock { $0 = (parent, id) }
        }
        if let timeout = options.timeout {
            let timer = OneShotTimer(after: timeout) { [weak stop] in stop?.stop(.timedOut) }
            timers.withLock { $0.append(timer) }
        }
    }

    var isStopped: Bool { stop.isStopped }

    // MARK: inputs

    /// The next input to run, blocking while the source waits for its producer; nil when the
    /// source is exhausted or the batch stopped. An input taken as the batch stops is settled
    /// unrun and the next one is tried.
    func take() -> (index: Int, input: Source.Input)? {
        while machine.withLock({ $0.mayTake }) {
            guard let item = source.nextBlocking() else { break }
            if admit(item.index) { return item }
        }
        exhausted()
        return nil
    }

    /// The next input, suspending while the source waits; nil as for `take()`.
    func next() async -> (index: Int, input: Source.Input)? {
        while machine.withLock({ $0.mayTake }) {
            guard let item = await source.next() else { break }
            if admit(item.index) { return item }
        }
        exhausted()
        return nil
    }

    /// Records input `index` as taken; false when it must not run (the batch stopped).
    func admit(_ index: Int) -> Bool {
        switch machine.withLock({ $0.took(index) }) {
        case .run: return true
        case .skip: settle(index, nil); return false
        }
    }

    /// The source is exhausted (or the engine gives up taking).
    func exhausted() {
        machine.withLock { $0.sourceExhausted() }?.resume()
    }

    // MARK: running

    /// Runs one job's blocking form and settles it.
    func run<W: Workload>(_ workload: W, _ item: (index: Int, input: Source.Input), worker: Int)
        where W.Input == Source.Input, W.Output == Output {
        guard !stop.isStopped else { return settle(item.index, nil) }
        let clock = ContinuousClock()
        let start = clock.now
        let result = Result<Output, any Error> {
            try workload.perform(item.input, context: JobContext(stop: stop, index: item.index, worker: worker))
        }
        settle(item.index, outcome(result, workload, seconds: (clock.now - start).seconds, worker: worker))
    }

    /// Runs one job's async form and settles it. A stopped batch cancels its tasks, so a job
    /// that starts after the stop ends at its first suspension point.
    func runAsync<W: Workload>(_ workload: W, _ item: (index: Int, input: Source.Input), worker: Int) async
        where W.Input == Source.Input, W.Output == Output {
        let clock = ContinuousClock()
        let start = clock.now
        let result: Result<Output, any Error>
        do {
            result = .success(try await workload.performAsync(item.input, context: JobContext(stop: stop, index: item.index, worker: worker)))
        } catch {
            result = .failure(error)
        }
        settle(item.index, outcome(result, workload, seconds: (clock.now - start).seconds, worker: worker))
    }

    /// A job's result as an outcome; a job that gave up because the batch stopped reports the
    /// batch's reason.
    private func outcome<W: Workload>(_ result: Result<Output, any Error>, _ workload: W, seconds: Double, worker: Int)
        -> (JobOutcome<Output>, bytes: Int) where W.Output == Output {
        switch result {
        case .success(let output):
            return (JobOutcome(result: .success(output), seconds: seconds, worker: worker), workload.byteCount(of: output))
        case .failure(let error):
            let failure = JobFailure(error)
            let final = failure.isStop ? JobFailure.stopped(stop.reason ?? .cancelled) : failure
            return (JobOutcome(result: .failure(final), seconds: seconds, worker: worker), 0)
        }
    }

    private func settle(_ index: Int, _ outcome: (JobOutcome<Output>, bytes: Int)) {
        settle(index, outcome.0, bytes: outcome.bytes)
    }

    /// Records input `index`'s outcome (nil: it never ran). The callbacks run before the input
    /// counts as settled, so the batch can't end while one of them still runs.
    func settle(_ index: Int, _ outcome: JobOutcome<Output>?, bytes: Int = 0) {
        let total = source.knownCount
        switch machine.withLock({ $0.settling(index, outcome, bytes: bytes, total: total) }) {
        case .duplicate: return
        case .quiet: break
        case .report(let progress):
            if let outcome { onOutcome?(index, outcome) }
            options.progress?(progress)
        }
        machine.withLock { $0.settled(index) }?.resume()
    }

    // MARK: stopping

    private func stopped(_ reason: StopReason) {
        guard let action = machine.withLock({ $0.stop(reason) }) else { return }
        if action.stopSource { source.stopWaiting() }
        hooks.onStop?(reason)
        action.resume?.resume()
        if action.startGrace {
            let timer = OneShotTimer(after: options.grace) { [weak self] in self?.graceOver() }
            timers.withLock { $0.append(timer) }
        }
    }

    private func graceOver() {
        hooks.onGraceOver?()
        machine.withLock { $0.graceOver() }?.resume()
    }

    // MARK: the end

    /// Waits until the batch is over (or released by the grace period after a stop), then
    /// returns one outcome per input, in order.
    func finish() async -> [JobOutcome<Output>] {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if machine.withLock({ $0.wait(continuation) }) == .resumeNow { continuation.resume() }
        }
        return results()
    }

    /// One outcome per input, in order, without waiting: for engines that know the batch is over.
    func results() -> [JobOutcome<Output>] {
        for timer in timers.withLock({ $0 }) { timer.cancel() }
        if let id = stopHandler.withLock({ $0.take() }) { stop.removeHandler(id) }
        if let parent = parentHandler.withLock({ $0.take() }) { parent.signal.removeHandler(parent.id) }
        let known = source.knownCount
        let signalled = stop.reason
        return machine.withLock { $0.results(knownCount: known, signalled: signalled) }
    }
}
