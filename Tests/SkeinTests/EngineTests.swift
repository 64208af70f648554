import NIOCore
import NIOHTTP1
import Engines
import Foundation
import SkeinTesting
import Synchronization
import Testing
import Basics

/// The semantics every engine shares, run against every engine (the process pool with real
/// `skein worker` processes).
@Suite("Engines")
struct EngineTests {
    static let processConfig = ProcessPoolConfiguration(executable: SkeinExecutable.path)

    static func engine(_ kind: EngineKind, workers: Int) -> Engine {
        Engine(kind, workers: workers, processes: processConfig)
    }

    @Test("one outcome per job, in input order; a failing job fails alone", arguments: EngineKind.allCases)
    func orderAndIsolation(kind: EngineKind) async throws {
        let inputs: [ProbeWorkload.Action] = [.sleep(milliseconds: 30), .fail(code: "boom"), .spin(iterations: 10_000),
                                              .sleep(milliseconds: 1), .fail(code: "bang"), .sleep(milliseconds: 10)]
        let outcomes = await Self.engine(kind, workers: 3).run(ProbeWorkload(), inputs)
        #expect(outcomes.count == inputs.count)
        #expect(outcomes[0].output?.value == 30)
        #expect(outcomes[1].failure?.code == "boom")
        #expect(outcomes[2].output?.value == ProbeWorkload.spin(10_000))
        #expect(outcomes[3].output?.value == 1)
        #expect(outcomes[4].failure?.code == "bang")
        #expect(outcomes[5].output?.value == 10)
    }

    // Serialized: the thread engines' cases block threads until the deadline, and on Linux the
    // `operations` engine's threads are libdispatch's, which the async runtime (and so the
    // async and processes cases) runs on. So the deadline is short where threads here wait it
    // out; the process pool's parent waits on threads of its own, so its longer deadline (time
    // for a worker to start) holds nobody up.
    //
    // Whether the 1 ms job finishes before a deadline is up to the machine: on a loaded one
    // (the whole suite on 2 cores, or ThreadSanitizer) a task or a worker process can wait
    // longer than the deadline for a thread. So the test holds the engine to what it can know:
    // a job seen finishing before the deadline (its progress report came first) keeps its
    // result; one that didn't is timed out like the rest, never anything else.
    @Test("the whole-batch deadline reports unfinished jobs as timed out; a job done before it keeps its result",
          .serialized, arguments: EngineKind.allCases)
    func deadline(kind: EngineKind) async throws {
        let inputs = [ProbeWorkload.Action.sleep(milliseconds: 1)] + Array(repeating: .sleep(milliseconds: 20_000), count: 5)
        let timeout: Duration = kind == .processes ? .seconds(10) : .milliseconds(600)
        let firstReport = Locked<ContinuousClock.Instant?>(nil)
        let start = ContinuousClock.now
        let outcomes = await Self.engine(kind, workers: 2).run(ProbeWorkload(), inputs, options: BatchOptions(
            timeout: timeout, progress: { _ in firstReport.withLock { $0 = $0 ?? .now } }))
        for outcome in outcomes.dropFirst() {
            #expect(outcome.failure?.code == JobFailure.timedOutCode)
        }
        // Only the 1 ms job can settle before the deadline, which starts after `start`.
        if let first = firstReport.withLock({ $0 }), first - start < timeout {
            #expect(outcomes[0].output?.value == 1, "it finished before the deadline: \(outcomes[0].failure?.message ?? "")")
        } else {
            #expect(outcomes[0].output?.value == 1 || outcomes[0].failure?.code == JobFailure.timedOutCode)
        }
    }

    @Test("a stop (Ctrl-C) starts no new job and reports the rest as cancelled", arguments: EngineKind.allCases)
    func cancellation(kind: EngineKind) async throws {
        let stop = StopSignal()
        let started = Atomic<Int>(0)
        let inputs = Array(repeating: ProbeWorkload.Action.sleep(milliseconds: 150), count: 12)
        let outcomes = await Self.engine(kind, workers: 2).run(ProbeWorkload(), inputs, options: BatchOptions(
            stop: stop,
            progress: { progress in
                started.store(progress.finished, ordering: .relaxed)
                if progress.finished == 2 { stop.stop(.cancelled) }
            }))
        let succeeded = outcomes.filter { $0.output != nil }.count
        let cancelled = outcomes.filter { $0.failure?.code == JobFailure.cancelledCode }.count
        #expect(succeeded >= 2)
        #expect(succeeded + cancelled == inputs.count)
        #expect(cancelled >= inputs.count - 4) // at most the jobs already running could finish
    }

    @Test("progress reports every job, ending at the total", arguments: EngineKind.allCases)
    func progress(kind: EngineKind) async throws {
        let seen = Locked<[BatchProgress]>([])
        let inputs = (0..<9).map { $0 % 3 == 0 ? ProbeWorkload.Action.fail(code: "x") : .spin(iterations: 1000) }
        _ = await Self.engine(kind, workers: 4).run(ProbeWorkload(), inputs, options: BatchOptions(progress: { p in
            seen.withLock { $0.append(p) }
        }))
        let events = seen.withLock { $0 }
        #expect(events.count == inputs.count)
        #expect(Set(events.map(\.finished)) == Set(1...inputs.count))
        #expect(events.map(\.failed).max() == 3)
    }

    @Test("N workers really run N jobs at once", arguments: [EngineKind.threads, .pool, .gcd, .operations, .async])
    func concurrencyWidth(kind: EngineKind) async throws {
        // Each job waits at a barrier for all four: an engine running fewer at once would
        // leave them waiting until the barrier gives up, and they would fail.
        let barrier = BarrierWorkload(id: "width-\(kind)", parties: 4)
        let outcomes = await Self.engine(kind, workers: 4).run(barrier, Array(0..<8))
        #expect(outcomes.allSatisfy { $0.output != nil }, "\(outcomes.compactMap(\.failure))")
    }
}

/// Jobs that wait until `parties` of them are running at once (or give up after 60 s).
struct BarrierWorkload: Workload {
    static let kind = "barrier"
    var id: String
    var parties: Int

    private static let arrivals = Locked<[String: Int]>([:])

    func perform(_ input: Int, context: JobContext) throws -> Int {
        let key = arrive(input)
        let deadline = ContinuousClock.now + .seconds(60)
        while !everyoneArrived(key) {
            if ContinuousClock.now > deadline { throw failure(key) }
            usleep(1000)
        }
        return input
    }

    /// The async form waits without blocking its thread, as async work must.
    func performAsync(_ input: Int, context: JobContext) async throws -> Int {
        let key = arrive(input)
        let deadline = ContinuousClock.now + .seconds(60)
        while !everyoneArrived(key) {
            if ContinuousClock.now > deadline { throw failure(key) }
            try await Task.sleep(for: .milliseconds(1))
        }
        return input
    }

    private func arrive(_ input: Int) -> String {
        let key = "\(id)/\(input / parties)"
        Self.arrivals.withLock { $0[key, default: 0] += 1 }
        return key
    }

    private func everyoneArrived(_ key: String) -> Bool { Self.arrivals.withLock { $0[key] ?? 0 } >= parties }

    private func failure(_ key: String) -> JobFailure {
        JobFailure(code: "alone", message: "only \(Self.arrivals.withLock { $0[key] ?? 0 }) of \(parties) arrived")
    }
}
