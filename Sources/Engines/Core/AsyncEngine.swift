/// Structured concurrency: a `TaskGroup` that keeps at most `workers` child tasks in flight,
/// each running the workload's async form. Nothing here blocks a thread on I/O.
enum AsyncEngine {
    private enum Event<Output: Sendable & Codable> {
        case finished(Int, JobOutcome<Output>)
        case stopped
    }

    static func run<W: Workload>(_ workload: W, _ inputs: [W.Input], workers: Int,
                                 _ options: BatchOptions) async -> [JobOutcome<W.Output>] {
        let stop = StopSignal()
        if let parent = options.stop { stop.follow(parent) }
        var outcomes = [JobOutcome<W.Output>?](repeating: nil, count: inputs.count)
        var progress = BatchProgress(total: inputs.count, finished: 0, failed: 0, bytes: 0)

        await withTaskGroup(of: Event<W.Output>.self) { group in
            // The watchdog: ends when the deadline passes or the batch is stopped.
            group.addTask {
                if let timeout = options.timeout {
                    await withTaskGroup(of: Void.self) { race in
                        race.addTask { try? await Task.sleep(for: timeout); stop.stop(.timedOut) }
                        race.addTask { await stop.wait() }
                        await race.next()
                        race.cancelAll()
                    }
                } else {
                    await stop.wait()
                }
                return .stopped
            }
            var next = 0
            var running = 0
            func startNext() {
                guard next < inputs.count, !stop.isStopped else { return }
                let index = next
                next += 1
                running += 1
                let lane = index % workers
                group.addTask {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let context = JobContext(stop: stop, index: index, worker: lane)
                    let result: Result<W.Output, JobFailure>
                    do {
                        result = .success(try await workload.performAsync(inputs[index], context: context))
                    } catch {
                        let failure = JobFailure(error)
                        result = .failure(failure.isStop ? .stopped(stop.reason ?? .cancelled) : failure)
                    }
                    return .finished(index, JobOutcome(result: result, seconds: (clock.now - start).seconds, worker: lane))
                }
            }
            for _ in 0..<min(workers, inputs.count) { startNext() }

            // A stopped batch waits for its running children: they are cancelled, and the
            // workloads check cancellation, so only a job inside one blocking call (a CPU-bound
            // thumbnail) delays the end, by at most that one call.
            while running > 0, let event = await group.next() {
                switch event {
                case .finished(let index, let outcome):
                    running -= 1
                    outcomes[index] = outcome
                    progress.finished += 1
                    if outcome.failure != nil { progress.failed += 1 }
                    if let output = outcome.output { progress.bytes += workload.byteCount(of: output) }
                    options.progress?(progress)
                    startNext()
                case .stopped:
                    group.cancelAll()
                }
            }
            group.cancelAll()
        }
        let reason = stop.reason ?? .cancelled
        return outcomes.map { $0 ?? .notStarted(reason) }
    }
}
