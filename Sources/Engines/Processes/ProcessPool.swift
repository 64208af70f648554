#if canImport(Glibc)
import Glibc
#endif
import Basics
import Foundation
import Logging

/// A pool of worker processes (copies of our own executable in worker mode), like Python's
/// `multiprocessing.Pool`, but one that survives its workers: a worker that crashes or is
/// killed mid-job is replaced and its job retried on the fresh worker (Python raises
/// `BrokenProcessPool` here).
///
/// Jobs and results travel as length-prefixed JSON messages over each worker's stdin and
/// stdout. A reader thread per worker turns its replies, and finally its exit, into events;
/// a feeder thread turns the batch's inputs into events. The actor hands each event to the
/// `PoolStateMachine` and performs the actions it returns; the batch's bookkeeping (deadline,
/// stop, progress, results) is the `BatchStorage` every engine uses.
///
/// Call `shutdown()` when done: workers get their stdin closed, then SIGTERM, then SIGKILL,
/// and every one is reaped, so no zombie or orphan is left.
package actor ProcessPool {
    enum Event: Sendable {
        case input(batch: Int, index: Int, bytes: [UInt8])
        case inputsEnded(batch: Int)
        case reply(worker: Int, bytes: [UInt8])
        case exited(worker: Int, how: ProcessExit)
        case stop(batch: Int, StopReason)
        case graceOver(batch: Int)
        case shutdownStep(Int)
    }

    /// A job on a worker: when it was sent, and to which process.
    struct Running { var started: ContinuousClock.Instant; var pid: Int32 }

    package let width: Int
    package let configuration: ProcessPoolConfiguration
    private var machine: PoolStateMachine<[UInt8]>
    private var processes: [Int: ChildProcess] = [:]
    private var nextWorkerNumber = 0
    private var batchNumber = 0
    private let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation
    /// Peak resident bytes of the workers that have exited, read just before each was told to.
    private var retiredPeakBytes = 0
    /// Every worker process started so far (for reports and tests).
    package private(set) var spawnedPIDs: [Int32] = []
    /// How each worker that ended did so, by pid (for reports and tests).
    package private(set) var exits: [Int32: ProcessExit] = [:]

    package init(workers: Int, configuration: ProcessPoolConfiguration = .init()) {
        width = max(1, workers)
        self.configuration = configuration
        machine = PoolStateMachine(width: max(1, workers), maxTasksPerChild: configuration.maxTasksPerChild,
                                   crashRetries: configuration.crashRetries)
        (events, sink) = AsyncStream.makeStream(of: Event.self)
        signal(SIGPIPE, SIG_IGN) // a dead worker's pipe must give EPIPE, not kill us
    }

    /// PIDs of the workers alive now.
    package var livePIDs: [Int32] { processes.values.map(\.pid).sorted() }

    /// The peak resident bytes of every worker this pool has run and retired.
    package var workerPeakBytes: Int { retiredPeakBytes }

    /// Runs `workload` over `inputs` on the workers; one outcome per input, in order.
    package func run<W: Workload>(_ workload: W, _ inputs: [W.Input],
                                  options: BatchOptions = BatchOptions()) async -> [JobOutcome<W.Output>] {
        await run(workload, from: ListSource(inputs), options: options)
    }

    /// Runs `workload` over whatever `source` hands out, calling `onOutcome` as jobs end.
    package func run<W: Workload, S: JobSource>(
        _ workload: W, from source: S, options: BatchOptions = BatchOptions(),
        onOutcome: (@Sendable (Int, JobOutcome<W.Output>) -> Void)? = nil
    ) async -> [JobOutcome<W.Output>] where S.Input == W.Input {
        batchNumber += 1
        let batch = batchNumber
        let sink = self.sink
        let credits = DispatchSemaphore.permits(width)
        let storage = BatchStorage<S, W.Output>(
            source: source, options: options, onOutcome: onOutcome,
            hooks: .init(onStop: { [width] reason in
                for _ in 0..<(width + 1) { credits.signal() }
                sink.yield(.stop(batch: batch, reason))
            }, onGraceOver: { sink.yield(.graceOver(batch: batch)) }))
        guard let workloadJSON = try? Array(JSONEncoder().encode(workload)) else {
            let failure = JobFailure(code: "encoding", message: "cannot encode the \(W.kind) workload")
            while let item = storage.take() { storage.settle(item.index, JobOutcome(result: .failure(failure), seconds: 0, worker: nil)) }
            return storage.results()
        }
        Self.startFeeder(storage, batch: batch, credits: credits, sink: sink)
        var running: [Int: Running] = [:]
        let settle = { (index: Int, outcome: JobOutcome<W.Output>) in storage.settle(index, outcome, bytes: outcome.output.map(workload.byteCount(of:)) ?? 0) }

        perform(machine.begin(expected: source.knownCount), kind: W.kind, workload: workloadJSON, running: &running, credits: credits, settle: settle)
        var iterator = events.makeAsyncIterator()
        while !(machine.batchDone), let event = await iterator.next() {
            let actions: [PoolStateMachine<[UInt8]>.Action]
            switch event {
            case .input(let eventBatch, let index, let bytes):
                guard eventBatch == batch else { continue }
                actions = machine.inputArrived(index, bytes)
            case .inputsEnded(let eventBatch):
                guard eventBatch == batch else { continue }
                actions = machine.inputsEnd()
            case .reply(let number, let bytes):
                actions = machine.replied(number)
                if case .completed(let index, _) = actions.first, let pid = processes[number]?.pid {
                    let seconds = running.removeValue(forKey: index).map { (ContinuousClock.now - $0.started).seconds } ?? 0
                    var outcome = Self.decodeReply(bytes, as: W.Output.self, seconds: seconds, worker: Int(pid))
                    // A worker stopped by us reports "cancelled"; the batch knows the real reason.
                    if let reason = machine.stopReason, outcome.failure?.isStop == true { outcome.result = .failure(.stopped(reason)) }
                    settle(index, outcome)
                }
            case .exited(let number, let how):
                if let pid = processes[number]?.pid { exits[pid] = how }
                Log.engines.debug("worker-exited", metadata: ["pid": "\(processes[number]?.pid ?? 0)", "how": "\(how)"])
                actions = machine.exited(number, how: "worker \(processes[number]?.pid ?? 0) \(how)")
            case .stop(let eventBatch, let reason):
                guard eventBatch == batch else { continue }
                actions = machine.stop(reason)
            case .graceOver(let eventBatch):
                guard eventBatch == batch else { continue }
                actions = machine.graceOver()
            case .shutdownStep:
                continue
            }
            perform(actions, kind: W.kind, workload: workloadJSON, running: &running, credits: credits, settle: settle)
        }
        return storage.results()
    }

    /// Closes every worker's stdin, waits for them to exit (then SIGTERM, then SIGKILL), and
    /// reaps them all.
    package func shutdown() async {
        for action in machine.shutdown() { performLifecycle(action) }
        guard machine.hasWorkers else { return }
        let sink = self.sink
        let grace = configuration.shutdownGrace
        let timers = [OneShotTimer(after: grace) { sink.yield(.shutdownStep(1)) },
                      OneShotTimer(after: grace * 2) { sink.yield(.shutdownStep(2)) }]
        defer { timers.forEach { $0.cancel() } }
        var iterator = events.makeAsyncIterator()
        while machine.hasWorkers, let event = await iterator.next() {
            switch event {
            case .exited(let number, let how):
                if let pid = processes[number]?.pid { exits[pid] = how }
                for action in machine.exited(number, how: "\(how)") { performLifecycle(action) }
            case .shutdownStep(let step):
                for action in machine.shutdownEscalation(step) { performLifecycle(action) }
            case .reply, .input, .inputsEnded, .stop, .graceOver:
                continue
            }
        }
    }

    // MARK: performing actions

    private func perform<Output>(_ actions: [PoolStateMachine<[UInt8]>.Action], kind: String, workload: [UInt8],
                                 running: inout [Int: Running], credits: DispatchSemaphore,
                                 settle: (Int, JobOutcome<Output>) -> Void) {
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch action {
            case .send(let number, let index, let input):
                credits.signal()
                guard let process = processes[number],
                      let message = try? WorkerMessage.request(id: index, kind: kind, workload: workload, input: input) else {
                    settle(index, JobOutcome(result: .failure(JobFailure(code: "encoding", message: "cannot encode job \(index)")),
                                             seconds: 0, worker: nil))
                    continue
                }
                running[index] = Running(started: .now, pid: process.pid)
                // If the write fails the worker is gone; its exit event requeues the job.
                _ = Frame.write(message, to: process.stdin)
            case .spawn:
                queue.append(contentsOf: startWorker())
            case .completed:
                continue // settled by the caller, which has the reply
            case .failed(let index, let failure):
                let job = running.removeValue(forKey: index)
                settle(index, JobOutcome(result: .failure(Self.jobFailure(failure)),
                                         seconds: job.map { (ContinuousClock.now - $0.started).seconds } ?? 0, worker: job.map { Int($0.pid) }))
            case .skipped(let index):
                settle(index, .notStarted(machine.stopReason ?? .cancelled))
            case .close, .release, .signal:
                performLifecycle(action)
            }
        }
    }

    /// The actions that touch processes only.
    private func performLifecycle(_ action: PoolStateMachine<[UInt8]>.Action) {
        switch action {
        case .close(let number):
            guard let process = processes[number] else { return }
            if let peak = ProcessMemory.peakBytes(of: process.pid) { retiredPeakBytes += peak }
            close(process.stdin)
        case .release(let number, let stdin):
            // A retired worker's stdin is closed already, and its number may belong to
            // another pipe by now: closing it twice would cut off a live worker.
            guard let process = processes.removeValue(forKey: number) else { return }
            if stdin { close(process.stdin) }
            close(process.stdout)
        case .signal(let numbers, let signal):
            for number in numbers { if let pid = processes[number]?.pid { kill(pid, signal == .kill ? SIGKILL : SIGTERM) } }
        default:
            return
        }
    }

    /// Starts one worker and its reader thread; the machine's answer to the spawn.
    private func startWorker() -> [PoolStateMachine<[UInt8]>.Action] {
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(executable: configuration.resolvedExecutable, arguments: configuration.arguments)
        } catch {
            return machine.spawnFailed("\(error)")
        }
        let number = nextWorkerNumber
        nextWorkerNumber += 1
        processes[number] = process
        spawnedPIDs.append(process.pid)
        let sink = self.sink
        JoinableThread.spawn(name: "worker-\(process.pid)-reader") {
            while case .message(let bytes) = Frame.read(from: process.stdout) {
                sink.yield(.reply(worker: number, bytes: bytes))
            }
            sink.yield(.exited(worker: number, how: ProcessLauncher.wait(process.pid)))
        }
        return machine.spawned(number)
    }
}
