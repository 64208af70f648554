/// The life of a process pool's workers, as a pure value: which workers exist and what each
/// is doing, the jobs waiting for one, how often each job was tried, and what to do next.
/// Each event returns the actions to perform (spawn, send, close, signal, settle); the
/// `ProcessPool` actor performs them. No process or thread is touched here, so every
/// transition can be tested on its own.
///
/// ```
///            spawn          send           reply
///   (none) ───────► idle ─────────► busy ────────► idle ──(max tasks)──► retiring ──► exited
///                     ▲               │ exit: retried once on a fresh worker, then failed
///                     └── stop: SIGTERM busy workers; grace over: SIGKILL; shutdown: close,
///                         SIGTERM, SIGKILL
/// ```
///
/// `Job` is the encoded input (bytes, in the pool).
struct PoolStateMachine<Job: Sendable & Equatable> {
    struct Worker: Equatable {
        var job: (index: Int, input: Job)?
        var tasksDone = 0
        var retiring = false

        static func == (a: Worker, b: Worker) -> Bool {
            a.job?.index == b.job?.index && a.job?.input == b.job?.input && a.tasksDone == b.tasksDone && a.retiring == b.retiring
        }
    }

    /// Why a job failed without a reply from a worker.
    enum Failure: Equatable {
        /// Its worker died `crashRetries + 1` times; how each one ended.
        case crashed(history: [String])
        /// No worker could be started.
        case noWorker(String)
        /// The batch stopped while it ran.
        case stopped(StopReason)
    }

    enum Signal: Equatable { case terminate, kill }

    enum Action: Equatable {
        /// Start one worker and report `spawned` or `spawnFailed`.
        case spawn
        /// Send job `index` to a worker.
        case send(worker: Int, index: Int, input: Job)
        /// Close a worker's stdin: it finishes what it has and exits.
        case close(worker: Int)
        /// Close a worker's descriptors after it exited (`stdin` unless already closed).
        case release(worker: Int, stdin: Bool)
        case signal(workers: [Int], Signal)
        /// A worker replied for job `index`: decode the reply and settle the job.
        case completed(index: Int, worker: Int)
        case failed(index: Int, Failure)
        /// Job `index` will never run (the batch stopped).
        case skipped(index: Int)
    }

    let width: Int
    let maxTasksPerChild: Int?
    let crashRetries: Int
    private(set) var workers: [Int: Worker] = [:]
    private(set) var pending: [(index: Int, input: Job)] = []
    private var attempts: [Int: Int] = [:]
    private var crashes: [Int: [String]] = [:]
    private(set) var stopReason: StopReason?
    private(set) var inputsEnded = false
    /// Workers being started (a `.spawn` not yet answered).
    private var starting = 0
    /// Inputs the batch may still hand out, when known (to start no more workers than jobs).
    var expected: Int?

    init(width: Int, maxTasksPerChild: Int?, crashRetries: Int) {
        self.width = width
        self.maxTasksPerChild = maxTasksPerChild
        self.crashRetries = crashRetries
    }

    private var active: Int { workers.values.filter { !$0.retiring }.count + starting }
    private var busy: Bool { workers.values.contains { $0.job != nil } }
    private var moreWork: Bool { !(inputsEnded && pending.isEmpty) }

    /// The batch is over: nothing runs and nothing more will.
    var batchDone: Bool { inputsEnded && !busy && (pending.isEmpty || stopReason != nil) }

    // MARK: a batch

    /// A batch begins: start workers up to the width (or the known number of jobs).
    mutating func begin(expected: Int?) -> [Action] {
        self.expected = expected
        stopReason = nil
        inputsEnded = false
        attempts = [:]
        crashes = [:]
        return staffUp()
    }

    mutating func inputArrived(_ index: Int, _ input: Job) -> [Action] {
        if stopReason != nil { return [.skipped(index: index)] }
        pending.append((index, input))
        return (active == 0 ? staffUp() : []) + dispatch()
    }

    mutating func inputsEnd() -> [Action] {
        inputsEnded = true
        return []
    }

    // MARK: workers

    mutating func spawned(_ number: Int) -> [Action] {
        starting -= 1
        workers[number] = Worker()
        return dispatch()
    }

    mutating func spawnFailed(_ message: String) -> [Action] {
        starting -= 1
        guard active == 0 else { return [] }
        let failed = pending.map { Action.failed(index: $0.index, .noWorker(message)) }
        pending = []
        return failed
    }

    mutating func replied(_ number: Int) -> [Action] {
        guard var worker = workers[number], let job = worker.job else { return [] }
        worker.job = nil
        worker.tasksDone += 1
        workers[number] = worker
        var actions: [Action] = [.completed(index: job.index, worker: number)]
        if let limit = maxTasksPerChild, worker.tasksDone >= limit {
            actions += retire(number)
            if stopReason == nil, moreWork { actions += staffUp() }
        }
        return actions + dispatch()
    }

    /// A worker exited; `how` describes it ("killed by signal 9 (SIGKILL)").
    mutating func exited(_ number: Int, how: String) -> [Action] {
        guard let worker = workers.removeValue(forKey: number) else { return [] }
        var actions: [Action] = [.release(worker: number, stdin: !worker.retiring)]
        guard let job = worker.job else { return actions }
        if let stopReason { return actions + [.failed(index: job.index, .stopped(stopReason))] }
        crashes[job.index, default: []].append(how)
        if attempts[job.index, default: 0] <= crashRetries {
            pending.insert(job, at: 0) // retried first, on a fresh worker
        } else {
            actions.append(.failed(index: job.index, .crashed(history: crashes[job.index] ?? [])))
        }
        return actions + staffUp() + dispatch()
    }

    // MARK: stopping

    /// The batch stopped: waiting jobs are skipped, busy workers asked to stop.
    mutating func stop(_ reason: StopReason) -> [Action] {
        guard stopReason == nil else { return [] }
        stopReason = reason
        let skipped = pending.map { Action.skipped(index: $0.index) }
        pending = []
        let busyWorkers = workers.filter { $0.value.job != nil }.keys.sorted()
        return skipped + (busyWorkers.isEmpty ? [] : [.signal(workers: busyWorkers, .terminate)])
    }

    /// The grace period after a stop passed: workers still busy are killed.
    func graceOver() -> [Action] {
        let busyWorkers = workers.filter { $0.value.job != nil }.keys.sorted()
        return busyWorkers.isEmpty ? [] : [.signal(workers: busyWorkers, .kill)]
    }

    // MARK: shutting down

    /// Every worker is told to exit (its stdin closed).
    mutating func shutdown() -> [Action] {
        workers.keys.sorted().flatMap { retire($0) }
    }

    /// Step `step` (1, then 2) of the shutdown's escalation: SIGTERM, then SIGKILL.
    func shutdownEscalation(_ step: Int) -> [Action] {
        workers.isEmpty ? [] : [.signal(workers: workers.keys.sorted(), step == 1 ? .terminate : .kill)]
    }

    var hasWorkers: Bool { !workers.isEmpty }

    // MARK: helpers

    private mutating func retire(_ number: Int) -> [Action] {
        guard var worker = workers[number], !worker.retiring else { return [] }
        worker.retiring = true
        workers[number] = worker
        return [.close(worker: number)]
    }

    private mutating func staffUp() -> [Action] {
        let wanted = min(width, expected ?? width)
        guard active < wanted else { return [] }
        let count = wanted - active
        starting += count
        return Array(repeating: .spawn, count: count)
    }

    private mutating func dispatch() -> [Action] {
        guard stopReason == nil else { return [] }
        var actions: [Action] = []
        for number in workers.keys.sorted() where !pending.isEmpty {
            guard var worker = workers[number], worker.job == nil, !worker.retiring else { continue }
            let job = pending.removeFirst()
            attempts[job.index, default: 0] += 1
            worker.job = job
            workers[number] = worker
            actions.append(.send(worker: number, index: job.index, input: job.input))
        }
        return actions
    }
}
