import Testing
@testable import Engines

/// The batch scaffold's state machine, transition by transition: no thread, no timer.
@Suite("Batch state machine")
struct BatchStateMachineTests {
    typealias Machine = BatchStateMachine<Int, String>

    static func success(_ value: Int) -> JobOutcome<Int> { JobOutcome(result: .success(value), seconds: 0.1, worker: 0) }
    static let failure = JobOutcome<Int>(result: .failure(JobFailure(code: "http-404", message: "x: HTTP 404")), seconds: 0.1, worker: 1)

    @Test("taking, settling and exhausting: the waiter resumes only when every taken input has settled")
    func normalEnd() {
        var machine = Machine()
        #expect(machine.mayTake)
        #expect(machine.took(0) == .run)
        #expect(machine.took(1) == .run)
        #expect(machine.wait("finish") == .suspend)
        #expect(machine.settling(0, Self.success(7), bytes: 100, total: 2) == .report(BatchProgress(total: 2, finished: 1, failed: 0, bytes: 100)))
        #expect(machine.settled(0) == nil, "one input is still running")
        #expect(machine.sourceExhausted() == nil, "exhausted, but input 1 has not settled")
        #expect(!machine.mayTake)
        #expect(machine.settling(1, Self.failure, bytes: 50, total: 2) == .report(BatchProgress(total: 2, finished: 2, failed: 1, bytes: 100)))
        #expect(machine.settled(1) == "finish")
        let results = machine.results(knownCount: 2)
        #expect(results.count == 2 && results[0].output == 7 && results[1].failure?.code == "http-404")
    }

    @Test("an outcome that arrives twice is reported once")
    func duplicate() {
        var machine = Machine()
        _ = machine.took(0)
        #expect(machine.settling(0, Self.success(1), bytes: 1, total: nil) != .duplicate)
        _ = machine.settled(0)
        #expect(machine.settling(0, Self.success(2), bytes: 1, total: nil) == .duplicate)
        #expect(machine.results(knownCount: nil).map(\.output) == [1])
    }

    @Test("the batch can't end while an outcome's callbacks still run")
    func callbacksHoldTheEnd() {
        var machine = Machine()
        _ = machine.took(0)
        _ = machine.sourceExhausted()
        #expect(machine.settling(0, Self.success(1), bytes: 0, total: 1) != .duplicate)
        #expect(!machine.isOver, "settling, not settled")
        #expect(machine.wait("w") == .suspend)
        #expect(machine.settled(0) == "w")
    }

    @Test("a stop with nothing running resumes the waiter at once and starts no grace timer")
    func stopWhenIdle() throws {
        var machine = Machine()
        #expect(machine.wait("w") == .suspend)
        let stopped = machine.stop(.cancelled)
        let action = try #require(stopped)
        #expect(action.stopSource && !action.startGrace && action.resume == "w")
        #expect(machine.stop(.timedOut) == nil, "the first reason stays")
        #expect(machine.stopReason == .cancelled)
    }

    @Test("a stop while jobs run: grace timer, input taken meanwhile is skipped, late outcomes after the grace are dropped")
    func stopWhileRunning() throws {
        var machine = Machine()
        _ = machine.took(0)
        _ = machine.took(1)
        #expect(machine.wait("w") == .suspend)
        let stopped = machine.stop(.timedOut)
        let action = try #require(stopped)
        #expect(action.startGrace && action.resume == nil)
        #expect(!machine.mayTake)
        #expect(machine.took(2) == .skip)
        #expect(machine.settling(2, nil, bytes: 0, total: nil) == .quiet)
        #expect(machine.settled(2) == nil)
        #expect(machine.settling(0, Self.success(5), bytes: 10, total: nil) != .duplicate)
        #expect(machine.settled(0) == nil, "input 1 still runs")
        #expect(machine.graceOver() == "w", "the grace period releases the waiter")
        #expect(machine.graceOver() == nil)
        #expect(machine.settling(1, Self.success(6), bytes: 10, total: nil) == .quiet, "released: dropped")
        let results = machine.results(knownCount: nil)
        #expect(results.map(\.output) == [5, nil, nil])
        #expect(results[1].failure?.stopReason == .timedOut && results[2].failure?.stopReason == .timedOut)
    }

    @Test("results are padded to what the source said it held, as not started")
    func padding() {
        var machine = Machine()
        _ = machine.took(0)
        _ = machine.settling(0, Self.success(1), bytes: 0, total: 4)
        _ = machine.settled(0)
        _ = machine.stop(.cancelled)
        let results = machine.results(knownCount: 4)
        #expect(results.count == 4)
        #expect(results.dropFirst().allSatisfy { $0.failure?.code == JobFailure.cancelledCode && $0.worker == nil })
    }

    @Test("results name the stop signal's reason when the machine has not heard of the stop yet")
    func signalledReason() {
        var machine = Machine()
        _ = machine.took(0)
        let results = machine.results(knownCount: 2, signalled: .timedOut)
        #expect(results.count == 2 && results.allSatisfy { $0.failure?.stopReason == .timedOut })
    }

    @Test("waiting on a batch that is over already resumes at once")
    func waitWhenOver() {
        var machine = Machine()
        _ = machine.sourceExhausted()
        #expect(machine.isOver)
        #expect(machine.wait("w") == .resumeNow)
    }
}
