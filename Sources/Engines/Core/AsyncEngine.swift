/// Structured concurrency: a `TaskGroup` that keeps at most `workers` child tasks in flight,
/// each running the workload's async form. Nothing here blocks a thread on I/O.
///
/// Inputs arrive through a child task too (one at a time, only while a slot is free), so a
/// source fed by another stage never holds up the collection of finished jobs. A stop cancels
/// the children; the workloads check cancellation, so only a job inside one blocking call (a
/// CPU-bound thumbnail) delays the end, by at most that one call.
enum AsyncEngine {
    private enum Event<Input: Sendable>: Sendable {
        case input((index: Int, input: Input)?)
        case finished
        case stopped
    }

    static func run<W: Workload, S: JobSource>(_ workload: W, _ batch: BatchStorage<S, W.Output>, workers: Int) async
        -> [JobOutcome<W.Output>] where S.Input == W.Input {
        await withTaskGroup(of: Event<W.Input>.self) { group in
            group.addTask {
                await batch.stop.wait()
                return .stopped
            }
            var running = 0
            var fetching = false
            var exhausted = false
            var issued = 0
            func requestInput() {
                guard !fetching, !exhausted, !batch.isStopped, running < workers else { return }
                fetching = true
                group.addTask { .input(await batch.next()) }
            }
            requestInput()
            while running > 0 || fetching, let event = await group.next() {
                switch event {
                case .input(let item):
                    fetching = false
                    guard let item else { exhausted = true; continue }
                    let lane = issued % workers
                    issued += 1
                    running += 1
                    group.addTask {
                        await batch.runAsync(workload, item, worker: lane)
                        return .finished
                    }
                    requestInput()
                case .finished:
                    running -= 1
                    requestInput()
                case .stopped:
                    group.cancelAll()
                }
            }
            group.cancelAll()
        }
        return batch.results()
    }
}
