import Testing
@testable import Engines

/// The process pool's lifecycle, transition by transition: no process, no thread.
@Suite("Process pool state machine")
struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<[UInt8]>

    static func machine(width: Int = 2, maxTasks: Int? = nil) -> Machine {
        Machine(width: width, maxTasksPerChild: maxTasks, crashRetries: 1)
    }

    @Test("begin spawns up to the width, or fewer when fewer jobs are known")
    func begin() {
        var wide = Self.machine(width: 4)
        #expect(wide.begin(expected: nil) == Array(repeating: .spawn, count: 4))
        var narrow = Self.machine(width: 4)
        #expect(narrow.begin(expected: 1) == [.spawn])
    }

    @Test("a job goes to an idle worker, the reply frees it, the batch ends when inputs end and nothing runs")
    func sendAndReply() {
        var machine = Self.machine(width: 1)
        _ = machine.begin(expected: nil)
        #expect(machine.spawned(0) == [])
        #expect(machine.inputArrived(0, [1]) == [.send(worker: 0, index: 0, input: [1])])
        #expect(machine.inputArrived(1, [2]) == [], "the only worker is busy")
        #expect(machine.replied(0) == [.completed(index: 0, worker: 0), .send(worker: 0, index: 1, input: [2])])
        _ = machine.inputsEnd()
        #expect(!machine.batchDone)
        #expect(machine.replied(0) == [.completed(index: 1, worker: 0)])
        #expect(machine.batchDone)
    }

    @Test("a worker that dies mid-job: the job is retried first on a fresh worker, then failed with both exits")
    func crashRetriedOnce() {
        var machine = Self.machine(width: 1)
        _ = machine.begin(expected: nil)
        _ = machine.spawned(0)
        _ = machine.inputArrived(0, [9])
        _ = machine.inputArrived(1, [8])
        #expect(machine.exited(0, how: "worker 10 killed by signal 9") == [.release(worker: 0, stdin: true), .spawn])
        #expect(machine.spawned(1) == [.send(worker: 1, index: 0, input: [9])], "the crashed job goes first")
        #expect(machine.exited(1, how: "worker 11 killed by signal 11") == [
            .release(worker: 1, stdin: true),
            .failed(index: 0, .crashed(history: ["worker 10 killed by signal 9", "worker 11 killed by signal 11"])),
            .spawn,
        ])
        #expect(machine.spawned(2) == [.send(worker: 2, index: 1, input: [8])])
    }

    @Test("max tasks per child: the worker is retired (stdin closed) and a fresh one started while work remains")
    func recycle() {
        var machine = Self.machine(width: 1, maxTasks: 1)
        _ = machine.begin(expected: nil)
        _ = machine.spawned(0)
        _ = machine.inputArrived(0, [1])
        _ = machine.inputArrived(1, [2])
        #expect(machine.replied(0) == [.completed(index: 0, worker: 0), .close(worker: 0), .spawn])
        #expect(machine.exited(0, how: "exited with status 0") == [.release(worker: 0, stdin: false)], "stdin closed already")
        #expect(machine.spawned(1) == [.send(worker: 1, index: 1, input: [2])])
    }

    @Test("a stop skips the waiting jobs and asks busy workers to stop; the grace period kills them")
    func stop() {
        var machine = Self.machine(width: 1)
        _ = machine.begin(expected: nil)
        _ = machine.spawned(0)
        _ = machine.inputArrived(0, [1])
        _ = machine.inputArrived(1, [2])
        #expect(machine.stop(.timedOut) == [.skipped(index: 1), .signal(workers: [0], .terminate)])
        #expect(machine.stop(.cancelled) == [])
        #expect(machine.inputArrived(2, [3]) == [.skipped(index: 2)])
        #expect(machine.graceOver() == [.signal(workers: [0], .kill)])
        _ = machine.inputsEnd()
        #expect(machine.exited(0, how: "killed by signal 9") == [.release(worker: 0, stdin: true), .failed(index: 0, .stopped(.timedOut))])
        #expect(machine.batchDone)
    }

    @Test("no worker can start: the waiting jobs fail with the reason")
    func spawnFailure() {
        var machine = Self.machine(width: 1)
        _ = machine.begin(expected: nil)
        _ = machine.inputArrived(0, [1])
        #expect(machine.spawnFailed("cannot start /nope") == [.failed(index: 0, .noWorker("cannot start /nope"))])
    }

    @Test("shutdown closes every worker's stdin, then escalates to SIGTERM and SIGKILL for those left")
    func shutdown() {
        var machine = Self.machine(width: 2)
        _ = machine.begin(expected: nil)
        _ = machine.spawned(0)
        _ = machine.spawned(1)
        #expect(machine.shutdown() == [.close(worker: 0), .close(worker: 1)])
        _ = machine.exited(0, how: "exited with status 0")
        #expect(machine.shutdownEscalation(1) == [.signal(workers: [1], .terminate)])
        #expect(machine.shutdownEscalation(2) == [.signal(workers: [1], .kill)])
        _ = machine.exited(1, how: "killed by signal 9")
        #expect(!machine.hasWorkers)
        #expect(machine.shutdownEscalation(2) == [])
    }
}
