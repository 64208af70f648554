import Synchronization
import Dispatch

/// Where workers of a thread-based engine drop outcomes, and what the engine awaits: done
/// when every job has an outcome, or when the batch stops and the running jobs have had their
/// grace period.
///
/// The state sits under one lock; continuations are resumed and callbacks run outside it.
final class OutcomeCollector<Output: Sendable & Codable>: Sendable {
    private struct State {
        var outcomes: [JobOutcome<Output>?]
        var finished = 0
        var failed = 0
        var bytes = 0
        var running = 0
        var waiter: CheckedContinuation<Void, Never>?
        var released = false
    }

    private let state: Mutex<State>
    let stop: StopSignal
    private let progress: (@Sendable (BatchProgress) -> Void)?
    private let grace: Duration
    let total: Int

    init(count: Int, options: BatchOptions) {
        self.total = count
        self.state = Mutex(State(outcomes: Array(repeating: nil, count: count)))
        self.progress = options.progress
        self.grace = options.grace
        let stop = StopSignal()
        if let parent = options.stop { stop.follow(parent) }
        self.stop = stop
        if let timeout = options.timeout {
            let nanos = max(0, timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanos))) { [weak stop] in
                stop?.stop(.timedOut)
            }
        }
    }

    /// Claims the right to run a job; false once the batch has stopped.
    func begin() -> Bool {
        if stop.isStopped { return false }
        state.withLock { $0.running += 1 }
        return true
    }

    /// Records a job's outcome.
    func record(_ index: Int, _ outcome: JobOutcome<Output>, bytes: Int) {
        let (snapshot, waiter): (BatchProgress?, CheckedContinuation<Void, Never>?) = state.withLock { state in
            state.running -= 1
            guard state.outcomes[index] == nil else { return (nil, nil) }
            state.outcomes[index] = outcome
            state.finished += 1
            if outcome.failure != nil { state.failed += 1 }
            state.bytes += bytes
            let snapshot = BatchProgress(total: total, finished: state.finished, failed: state.failed, bytes: state.bytes)
            let done = state.finished == total || (stop.isStopped && state.running == 0)
            return (snapshot, done ? Self.release(&state) : nil)
        }
        if let snapshot { progress?(snapshot) }
        waiter?.resume()
    }

    /// A worker that was asked to run a job but found the batch stopped.
    func skip() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.running -= 1
            return state.running == 0 && stop.isStopped ? Self.release(&state) : nil
        }
        waiter?.resume()
    }

    /// Runs one job of a blocking workload, recording its outcome.
    func run<W: Workload>(_ workload: W, _ input: W.Input, index: Int, worker: Int) where W.Output == Output {
        let clock = ContinuousClock()
        let start = clock.now
        let result: Result<Output, JobFailure>
        do {
            result = .success(try workload.perform(input, context: JobContext(stop: stop, index: index, worker: worker)))
        } catch {
            result = .failure(JobFailure(error))
        }
        let seconds = (clock.now - start).seconds
        let bytes = (try? result.get()).map(workload.byteCount(of:)) ?? 0
        record(index, JobOutcome(result: result, seconds: seconds, worker: worker), bytes: bytes)
    }

    /// Waits until every job has an outcome, or the batch stopped and its running jobs ended
    /// (or the grace period passed); then fills the gaps with "timed out" or "cancelled".
    func finish() async -> [JobOutcome<Output>] {
        let handler = Mutex<Int?>(nil)
        defer { if let id = handler.withLock({ $0 }) { stop.removeHandler(id) } }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.released || state.finished == total { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume(); return }
            let id = stop.onStop { [self] _ in
                let now = state.withLock { state in state.running == 0 ? Self.release(&state) : nil }
                now?.resume()
                let graceNanos = grace.components.seconds * 1_000_000_000 + grace.components.attoseconds / 1_000_000_000
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: graceNanos))) { [self] in
                    state.withLock { Self.release(&$0) }?.resume()
                }
            }
            handler.withLock { $0 = id }
        }
        let reason = stop.reason ?? .cancelled
        return state.withLock { state in
            state.released = true
            return state.outcomes.map { $0 ?? .notStarted(reason) }
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
}
