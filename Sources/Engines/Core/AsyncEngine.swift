/// Structured concurrency: a `TaskGroup` that keeps at most `workers` child tasks in flight,
/// each running the workload's async form. Nothing here blocks a thread on I/O.
///
/// Inputs arrive through a child task too (one at a time, only while a slot is free), so a
/// source fed by another stage never holds up the collection of finished jobs.
enum AsyncEngine {
    private enum Event<Input: Sendable, Output: Sendable & Codable>: Sendable {
        case input((index: Int, input: Input)?)
        case finished(Int, JobOutcome<Output>)
        case stopped
    }

    static func run<W: Workload, S: JobSource>(_ workload: W, source: S, workers: Int, options: BatchOptions,
                                               onOutcome: (@Sendable (Int, JobOutcome<W.Output>) -> Void)?) async -> [JobOutcome<W.Output>]
        where S.Input == W.Input {
        let stop = StopSignal()
        if let parent = options.stop { stop.follow(parent) }
        let stopHandler = stop.onStop { _ in source.stopWaiting() }
        defer { stop.removeHandler(stopHandler) }
        var outcomes: [Int: JobOutcome<W.Output>] = [:]
        var issued = 0
        var progress = BatchProgress(total: source.knownCount ?? 0, finished: 0, failed: 0, bytes: 0)

        await withTaskGroup(of: Event<W.Input, W.Output>.self) { group in
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
            var running = 0
            var fetching = false
            var exhausted = false
            func requestInput() {
                guard !fetching, !exhausted, !stop.isStopped, running < workers else { return }
                fetching = true
                group.addTask { .input(await source.next()) }
            }
            requestInput()

            // A stopped batch waits for its running children: they are cancelled, and the
            // workloads check cancellation, so only a job inside one blocking call (a CPU-bound
            // thumbnail) delays the end, by at most that one call.
            while running > 0 || fetching, let event = await group.next() {
                switch event {
                case .input(let item):
                    fetching = false
                    guard let (index, input) = item, !stop.isStopped else { exhausted = true; continue }
                    issued += 1
                    running += 1
                    let lane = (issued - 1) % workers
                    group.addTask {
                        let clock = ContinuousClock()
                        let start = clock.now
                        let context = JobContext(stop: stop, index: index, worker: lane)
                        let result: Result<W.Output, JobFailure>
                        do {
                            result = .success(try await workload.performAsync(input, context: context))
                        } catch {
                            let failure = JobFailure(error)
                            result = .failure(failure.isStop ? .stopped(stop.reason ?? .cancelled) : failure)
                        }
                        return .finished(index, JobOutcome(result: result, seconds: (clock.now - start).seconds, worker: lane))
                    }
                    requestInput()
                case .finished(let index, let outcome):
                    running -= 1
                    outcomes[index] = outcome
                    progress.total = source.knownCount ?? 0
                    progress.finished += 1
                    if outcome.failure != nil { progress.failed += 1 }
                    if let output = outcome.output { progress.bytes += workload.byteCount(of: output) }
                    onOutcome?(index, outcome)
                    options.progress?(progress)
                    requestInput()
                case .stopped:
                    group.cancelAll()
                }
            }
            group.cancelAll()
        }
        let reason = stop.reason ?? .cancelled
        let total = max(source.knownCount ?? 0, issued, (outcomes.keys.max() ?? -1) + 1)
        return (0..<total).map { outcomes[$0] ?? .notStarted(reason) }
    }
}
