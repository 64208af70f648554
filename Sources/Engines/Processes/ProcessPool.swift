#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A pool of worker processes (copies of our own executable in worker mode), like Python's
/// `multiprocessing.Pool`, but one that survives its workers: a worker that crashes or is
/// killed mid-job is replaced and its job retried on the fresh worker (Python raises
/// `BrokenProcessPool` here).
///
/// Jobs and results travel as length-prefixed JSON messages over each worker's stdin and
/// stdout. A reader thread per worker turns its replies, and finally its exit, into events
/// the actor consumes; the actor alone decides what each worker does next.
///
/// Call `shutdown()` when done: workers get their stdin closed, then SIGTERM, then SIGKILL,
/// and every one is reaped, so no zombie or orphan is left.
public actor ProcessPool {
    struct Worker {
        let number: Int
        let process: ChildProcess
        var job: (index: Int, started: ContinuousClock.Instant)?
        var tasksDone = 0
        var retiring = false
    }

    enum Event: Sendable {
        case reply(worker: Int, bytes: [UInt8])
        case exited(worker: Int, how: String)
        case stop
        case graceOver
    }

    public let width: Int
    public let configuration: ProcessPoolConfiguration
    private var workers: [Int: Worker] = [:]
    private var nextWorkerNumber = 0
    private let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation
    /// Every worker process started so far (for reports and tests).
    public private(set) var spawnedPIDs: [Int32] = []
    /// How each worker that ended did so, by pid (for reports and tests).
    public private(set) var exits: [Int32: String] = [:]

    public init(workers: Int, configuration: ProcessPoolConfiguration = .init()) {
        precondition(workers > 0, "a pool needs at least one worker")
        width = workers
        self.configuration = configuration
        (events, sink) = AsyncStream.makeStream(of: Event.self)
        signal(SIGPIPE, SIG_IGN) // a dead worker's pipe must give EPIPE, not kill us
    }

    /// PIDs of the workers alive now.
    public var livePIDs: [Int32] { workers.values.map(\.process.pid).sorted() }

    /// Runs `workload` over `inputs` on the workers; one outcome per input, in order.
    public func run<W: Workload>(_ workload: W, _ inputs: [W.Input],
                                 options: BatchOptions = BatchOptions()) async -> [JobOutcome<W.Output>] {
        var outcomes = [JobOutcome<W.Output>?](repeating: nil, count: inputs.count)
        var progress = BatchProgress(total: inputs.count, finished: 0, failed: 0, bytes: 0)
        let encoder = JSONEncoder()
        guard let workloadJSON = try? Array(encoder.encode(workload)) else {
            let failure = JobFailure(code: "encoding", message: "cannot encode the \(W.kind) workload")
            return inputs.map { _ in JobOutcome(result: .failure(failure), seconds: 0, worker: nil) }
        }
        var pending = Array(inputs.indices)[...]  // jobs not yet sent, in order
        var attempts = [Int](repeating: 0, count: inputs.count)
        var crashes = [Int: [String]]()
        var stopReason: StopReason?

        // Stop (Ctrl-C) and the deadline arrive as events.
        let stop = StopSignal()
        if let parent = options.stop { stop.follow(parent) }
        let sink = self.sink
        let stopHandler = stop.onStop { _ in sink.yield(.stop) }
        defer { stop.removeHandler(stopHandler) }
        var deadlineTimer: (any DispatchSourceTimer)?
        if let timeout = options.timeout {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: Int64(timeout.seconds * 1e9))))
            timer.setEventHandler { stop.stop(.timedOut) }
            timer.resume()
            deadlineTimer = timer
        }
        defer { deadlineTimer?.cancel() }

        func finish(_ index: Int, _ outcome: JobOutcome<W.Output>) {
            outcomes[index] = outcome
            progress.finished += 1
            if outcome.failure != nil { progress.failed += 1 }
            if let output = outcome.output { progress.bytes += workload.byteCount(of: output) }
            options.progress?(progress)
        }
        func dispatch(to number: Int) {
            guard stopReason == nil, let index = pending.popFirst(), var worker = workers[number] else { return }
            attempts[index] += 1
            guard let inputJSON = try? Array(encoder.encode(inputs[index])),
                  let message = try? WorkerMessage.request(id: index, kind: W.kind, workload: workloadJSON, input: inputJSON)
            else {
                finish(index, JobOutcome(result: .failure(JobFailure(code: "encoding", message: "cannot encode job \(index)")), seconds: 0, worker: nil))
                return dispatch(to: number)
            }
            worker.job = (index, .now)
            workers[number] = worker
            if !Frame.write(message, to: worker.process.stdin) {
                // The worker is gone; its exit event will requeue the job.
            }
        }
        func idleWorkers() -> [Int] { workers.values.filter { $0.job == nil && !$0.retiring }.map(\.number).sorted() }
        func unfinished() -> Int { outcomes.lazy.filter { $0 == nil }.count }

        // Start the pool, then hand each idle worker a job.
        let wanted = min(width, inputs.count)
        while workers.values.filter({ !$0.retiring }).count < wanted {
            if let failure = startWorker() {
                for index in pending { finish(index, JobOutcome(result: .failure(failure), seconds: 0, worker: nil)) }
                pending = []
                break
            }
        }
        for number in idleWorkers() { dispatch(to: number) }

        var iterator = events.makeAsyncIterator()
        while unfinished() > 0 {
            // Stopped and nothing in flight: what is left never started.
            if stopReason != nil, !workers.values.contains(where: { $0.job != nil }) { break }
            guard let event = await iterator.next() else { break }
            switch event {
            case .reply(let number, let bytes):
                guard var worker = workers[number], let job = worker.job else { continue }
                let seconds = (ContinuousClock.now - job.started).seconds
                var outcome = Self.decodeReply(bytes, as: W.Output.self, seconds: seconds, worker: Int(worker.process.pid))
                // A worker stopped by us reports "cancelled"; the batch knows the real reason.
                if let stopReason, outcome.failure?.isStop == true { outcome.result = .failure(.stopped(stopReason)) }
                finish(job.index, outcome)
                worker.job = nil
                worker.tasksDone += 1
                workers[number] = worker
                if let limit = configuration.maxTasksPerChild, worker.tasksDone >= limit {
                    retire(number)
                    if !pending.isEmpty, stopReason == nil, startWorker() == nil {
                        for idle in idleWorkers() { dispatch(to: idle) }
                    }
                } else {
                    dispatch(to: number)
                }
            case .exited(let number, let how):
                guard let worker = workers.removeValue(forKey: number) else { continue }
                exits[worker.process.pid] = how
                // A retired worker's stdin is closed already, and its number may belong to
                // another pipe by now: closing it twice would cut off a live worker.
                if !worker.retiring { close(worker.process.stdin) }
                close(worker.process.stdout)
                guard let job = worker.job else { continue }
                if let stopReason {
                    finish(job.index, JobOutcome(result: .failure(.stopped(stopReason)), seconds: 0, worker: Int(worker.process.pid)))
                    continue
                }
                crashes[job.index, default: []].append("worker \(worker.process.pid) \(how)")
                if attempts[job.index] <= configuration.crashRetries {
                    pending.insert(job.index, at: pending.startIndex) // retry first, on a fresh worker
                } else {
                    let history = crashes[job.index, default: []].joined(separator: ", then ")
                    finish(job.index, JobOutcome(result: .failure(JobFailure(
                        code: JobFailure.workerCrashedCode,
                        message: "the worker process died while running it: \(history)")),
                        seconds: (ContinuousClock.now - job.started).seconds, worker: Int(worker.process.pid)))
                }
                if !pending.isEmpty {
                    if workers.values.filter({ !$0.retiring }).count < wanted, let failure = startWorker() {
                        if workers.isEmpty {
                            for index in pending { finish(index, JobOutcome(result: .failure(failure), seconds: 0, worker: nil)) }
                            pending = []
                        }
                    }
                    for idle in idleWorkers() { dispatch(to: idle) }
                }
            case .stop:
                guard stopReason == nil, let reason = stop.reason else { continue }
                stopReason = reason
                // Ask busy workers to stop their job (they clean up and reply); kill any
                // that haven't after the grace period.
                for worker in workers.values where worker.job != nil { kill(worker.process.pid, SIGTERM) }
                let sink = self.sink
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: Int64(options.grace.seconds * 1e9)))) {
                    sink.yield(.graceOver)
                }
            case .graceOver:
                for worker in workers.values where worker.job != nil { kill(worker.process.pid, SIGKILL) }
            }
        }
        let reason = stopReason ?? .cancelled
        return outcomes.map { $0 ?? .notStarted(reason) }
    }

    /// Closes every worker's stdin, waits for them to exit (then SIGTERM, then SIGKILL), and
    /// reaps them all.
    public func shutdown() async {
        for number in workers.keys { retire(number) }
        guard !workers.isEmpty else { return }
        let sink = self.sink
        let grace = Int64(configuration.shutdownGrace.seconds * 1e9)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: grace))) { sink.yield(.stop) }
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: grace * 2))) { sink.yield(.graceOver) }
        var iterator = events.makeAsyncIterator()
        while !workers.isEmpty, let event = await iterator.next() {
            switch event {
            case .exited(let number, let how):
                if let worker = workers.removeValue(forKey: number) {
                    exits[worker.process.pid] = how
                    close(worker.process.stdout)
                }
            case .stop:
                for worker in workers.values { kill(worker.process.pid, SIGTERM) }
            case .graceOver:
                for worker in workers.values { kill(worker.process.pid, SIGKILL) }
            case .reply:
                continue
            }
        }
    }

    /// Closes a worker's stdin: it finishes what it has and exits.
    private func retire(_ number: Int) {
        guard var worker = workers[number], !worker.retiring else { return }
        worker.retiring = true
        workers[number] = worker
        close(worker.process.stdin)
    }

    /// Starts one worker and its reader thread; returns a failure if it can't be started.
    private func startWorker() -> JobFailure? {
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(executable: configuration.resolvedExecutable,
                                             arguments: configuration.arguments)
        } catch {
            return JobFailure(code: "worker-start", message: "\(error)")
        }
        let number = nextWorkerNumber
        nextWorkerNumber += 1
        workers[number] = Worker(number: number, process: process)
        spawnedPIDs.append(process.pid)
        let sink = self.sink
        JoinableThread.spawn(name: "worker-\(process.pid)-reader") {
            while case .message(let bytes) = Frame.read(from: process.stdout) {
                sink.yield(.reply(worker: number, bytes: bytes))
            }
            sink.yield(.exited(worker: number, how: ChildProcess.reap(process.pid)))
        }
        return nil
    }

    private static func decodeReply<Output: Codable>(_ bytes: [UInt8], as: Output.Type, seconds: Double, worker: Int) -> JobOutcome<Output> {
        let decoder = JSONDecoder()
        guard let parts = WorkerMessage.parts(bytes, count: 2),
              let header = try? decoder.decode(WorkerMessage.ReplyHeader.self, from: Data(parts[0])) else {
            return JobOutcome(result: .failure(JobFailure(code: "protocol", message: "unreadable reply from worker \(worker)")), seconds: seconds, worker: worker)
        }
        if header.ok, let output = try? decoder.decode(Output.self, from: Data(parts[1])) {
            return JobOutcome(result: .success(output), seconds: seconds, worker: worker)
        }
        let failure = (try? decoder.decode(JobFailure.self, from: Data(parts[1])))
            ?? JobFailure(code: "protocol", message: "unreadable result from worker \(worker)")
        return JobOutcome(result: .failure(failure), seconds: seconds, worker: worker)
    }
}
