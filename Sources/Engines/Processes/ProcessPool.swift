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
        var job: (index: Int, started: ContinuousClock.Instant, input: [UInt8])?
        var tasksDone = 0
        var retiring = false
    }

    enum Event: Sendable {
        case input(batch: Int, index: Int, bytes: [UInt8])
        case inputsEnded(batch: Int)
        case reply(worker: Int, bytes: [UInt8])
        case exited(worker: Int, how: String)
        case stop
        case graceOver(batch: Int)
    }

    public let width: Int
    public let configuration: ProcessPoolConfiguration
    private var workers: [Int: Worker] = [:]
    private var nextWorkerNumber = 0
    private var batchNumber = 0
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
        await run(workload, from: ListSource(inputs), options: options)
    }

    /// Runs `workload` over whatever `source` hands out, calling `onOutcome` as jobs end.
    ///
    /// A feeder thread takes inputs from the source (it may block, for a channel) and sends
    /// them, encoded, as events; it runs at most `width` inputs ahead of the workers.
    public func run<W: Workload, S: JobSource>(
        _ workload: W, from source: S, options: BatchOptions = BatchOptions(),
        onOutcome: (@Sendable (Int, JobOutcome<W.Output>) -> Void)? = nil
    ) async -> [JobOutcome<W.Output>] where S.Input == W.Input {
        batchNumber += 1
        let batch = batchNumber
        var outcomes: [Int: JobOutcome<W.Output>] = [:]
        var progress = BatchProgress(total: source.knownCount ?? 0, finished: 0, failed: 0, bytes: 0)
        let encoder = JSONEncoder()
        guard let workloadJSON = try? Array(encoder.encode(workload)) else {
            let failure = JobFailure(code: "encoding", message: "cannot encode the \(W.kind) workload")
            var all: [JobOutcome<W.Output>] = []
            while let _ = source.nextBlocking() { all.append(JobOutcome(result: .failure(failure), seconds: 0, worker: nil)) }
            return all
        }
        var pending: [(index: Int, input: [UInt8])] = []
        var attempts: [Int: Int] = [:]
        var crashes: [Int: [String]] = [:]
        var stopReason: StopReason?
        var inputsEnded = false
        var issued = 0

        // Stop (Ctrl-C) and the deadline arrive as events.
        let stop = StopSignal()
        if let parent = options.stop { stop.follow(parent) }
        let sink = self.sink
        let credits = DispatchSemaphore.permits(width)
        let stopHandler = stop.onStop { _ in
            source.stopWaiting()
            for _ in 0..<(self.width + 1) { credits.signal() }
            sink.yield(.stop)
        }
        defer { stop.removeHandler(stopHandler) }
        var deadlineTimer: (any DispatchSourceTimer)?
        if let timeout = options.timeout {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + timeout.dispatchInterval)
            timer.setEventHandler { stop.stop(.timedOut) }
            timer.resume()
            deadlineTimer = timer
        }
        defer { deadlineTimer?.cancel() }

        // The feeder.
        JoinableThread.spawn(name: "pool-feeder") {
            let encoder = JSONEncoder()
            while true {
                credits.wait()
                guard !stop.isStopped, let (index, input) = source.nextBlocking() else { break }
                let bytes = (try? Array(encoder.encode(input))) ?? []
                sink.yield(.input(batch: batch, index: index, bytes: bytes))
            }
            sink.yield(.inputsEnded(batch: batch))
        }

        func finish(_ index: Int, _ outcome: JobOutcome<W.Output>) {
            outcomes[index] = outcome
            progress.total = source.knownCount ?? 0
            progress.finished += 1
            if outcome.failure != nil { progress.failed += 1 }
            if let output = outcome.output { progress.bytes += workload.byteCount(of: output) }
            onOutcome?(index, outcome)
            options.progress?(progress)
        }
        func dispatch(to number: Int) {
            guard stopReason == nil, !pending.isEmpty, var worker = workers[number], worker.job == nil, !worker.retiring else { return }
            let (index, input) = pending.removeFirst()
            attempts[index, default: 0] += 1
            guard let message = try? WorkerMessage.request(id: index, kind: W.kind, workload: workloadJSON, input: input) else {
                finish(index, JobOutcome(result: .failure(JobFailure(code: "encoding", message: "cannot encode job \(index)")), seconds: 0, worker: nil))
                return dispatch(to: number)
            }
            worker.job = (index, .now, input)
            workers[number] = worker
            credits.signal()
            // If the write fails the worker is gone; its exit event requeues the job.
            _ = Frame.write(message, to: worker.process.stdin)
        }
        func idleWorkers() -> [Int] { workers.values.filter { $0.job == nil && !$0.retiring }.map(\.number).sorted() }
        func activeWorkers() -> Int { workers.values.filter { !$0.retiring }.count }
        func dispatchAll() { for number in idleWorkers() { dispatch(to: number) } }
        func failPending(_ failure: JobFailure) {
            for (index, _) in pending { finish(index, JobOutcome(result: .failure(failure), seconds: 0, worker: nil)) }
            pending = []
        }
        /// Starts workers up to the width while there is work; false if none could start.
        func staffUp() {
            let wanted = min(width, source.knownCount ?? width)
            while activeWorkers() < wanted {
                if let failure = startWorker() {
                    if activeWorkers() == 0 { failPending(failure) }
                    return
                }
            }
        }

        staffUp()
        var iterator = events.makeAsyncIterator()
        while true {
            let busy = workers.values.contains { $0.job != nil }
            if inputsEnded && pending.isEmpty && !busy { break }
            if stopReason != nil && inputsEnded && !busy { break }
            guard let event = await iterator.next() else { break }
            switch event {
            case .input(let eventBatch, let index, let bytes):
                guard eventBatch == batch else { continue }
                issued += 1
                if stopReason != nil { continue }
                pending.append((index, bytes))
                if activeWorkers() == 0 { staffUp() }
                dispatchAll()
            case .inputsEnded(let eventBatch):
                guard eventBatch == batch else { continue }
                inputsEnded = true
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
                    if stopReason == nil, !(inputsEnded && pending.isEmpty) { staffUp() }
                }
                dispatchAll()
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
                if attempts[job.index, default: 0] <= configuration.crashRetries {
                    pending.insert((job.index, job.input), at: 0) // retried first, on a fresh worker
                } else {
                    let history = crashes[job.index, default: []].joined(separator: ", then ")
                    finish(job.index, JobOutcome(result: .failure(JobFailure(
                        code: JobFailure.workerCrashedCode,
                        message: "the worker process died while running it: \(history)")),
                        seconds: (ContinuousClock.now - job.started).seconds, worker: Int(worker.process.pid)))
                }
                staffUp()
                dispatchAll()
            case .stop:
                guard stopReason == nil, let reason = stop.reason else { continue }
                stopReason = reason
                pending = []
                // Ask busy workers to stop their job (they clean up and reply); kill any
                // that haven't after the grace period.
                for worker in workers.values where worker.job != nil { kill(worker.process.pid, SIGTERM) }
                let sink = self.sink
                DispatchQueue.global().asyncAfter(deadline: .now() + options.grace.dispatchInterval) {
                    sink.yield(.graceOver(batch: batch))
                }
            case .graceOver(let eventBatch):
                guard eventBatch == batch else { continue }
                for worker in workers.values where worker.job != nil { kill(worker.process.pid, SIGKILL) }
            }
        }
        let reason = stopReason ?? .cancelled
        let total = max(source.knownCount ?? 0, issued, (outcomes.keys.max() ?? -1) + 1)
        return (0..<total).map { outcomes[$0] ?? .notStarted(reason) }
    }

    /// Closes every worker's stdin, waits for them to exit (then SIGTERM, then SIGKILL), and
    /// reaps them all.
    public func shutdown() async {
        for number in workers.keys { retire(number) }
        guard !workers.isEmpty else { return }
        let sink = self.sink
        DispatchQueue.global().asyncAfter(deadline: .now() + configuration.shutdownGrace.dispatchInterval) { sink.yield(.stop) }
        DispatchQueue.global().asyncAfter(deadline: .now() + (configuration.shutdownGrace * 2).dispatchInterval) { sink.yield(.graceOver(batch: -1)) }
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
            case .graceOver(let eventBatch):
                guard eventBatch == -1 else { continue }
                for worker in workers.values { kill(worker.process.pid, SIGKILL) }
            case .reply, .input, .inputsEnded:
                continue
            }
        }
    }

    /// Closes a worker's stdin: it finishes what it has and exits.
    private func retire(_ number: Int) {
        guard var worker = workers[number], !worker.retiring else { return }
        ProcessMemory.recordWorker(worker.process.pid)
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
            sink.yield(.exited(worker: number, how: ProcessLauncher.wait(process.pid)))
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
