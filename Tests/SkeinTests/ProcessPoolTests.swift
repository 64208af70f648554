import NIOCore
import NIOHTTP1
import Engines
import Foundation
import SkeinTesting
import Testing

@Suite("Process pool", .serialized)
struct ProcessPoolTests {
    static let config = ProcessPoolConfiguration(executable: SkeinExecutable.path, shutdownGrace: .seconds(2))

    @Test("a worker that crashes mid-job is replaced and the job retried on the fresh worker")
    func crashRetried() async throws {
        try await TemporaryFolder.with { folder in
            let pool = ProcessPool(workers: 2, configuration: Self.config)
            let inputs: [ProbeWorkload.Action] = [.sleep(milliseconds: 5), .crashOnce(marker: folder + "/crashed"), .sleep(milliseconds: 5)]
            let outcomes = await pool.run(ProbeWorkload(), inputs)
            await pool.shutdown()
            #expect(outcomes.allSatisfy { $0.output != nil }, "\(outcomes.compactMap(\.failure))")
            #expect(FileManager.default.fileExists(atPath: folder + "/crashed"))
            let spawned = await pool.spawnedPIDs
            #expect(spawned.count == 3) // two, and one replacement
            let exits = await pool.exits
            #expect(exits.values.contains { $0.signal == SIGKILL })
        }
    }

    @Test("a job that kills every worker fails after one retry; the batch completes")
    func crashTwiceFails() async throws {
        let pool = ProcessPool(workers: 2, configuration: Self.config)
        let outcomes = await pool.run(ProbeWorkload(), [.spin(iterations: 10), .crashAlways, .spin(iterations: 20)])
        await pool.shutdown()
        #expect(outcomes[0].output != nil && outcomes[2].output != nil)
        let failure = try #require(outcomes[1].failure)
        #expect(failure.code == JobFailure.workerCrashedCode)
        #expect(failure.message.contains("then")) // both deaths are named
    }

    @Test("SIGKILL of a busy worker from outside: replaced, job retried, batch completes")
    func killedFromOutside() async throws {
        let pool = ProcessPool(workers: 2, configuration: Self.config)
        let inputs = Array(repeating: ProbeWorkload.Action.sleep(milliseconds: 700), count: 4)
        async let outcomes = pool.run(ProbeWorkload(), inputs)
        // Wait until workers exist, then kill one (it is busy: every job sleeps 700 ms).
        var victims: [Int32] = []
        for _ in 0..<200 where victims.isEmpty {
            victims = await pool.livePIDs
            if victims.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        let victim = try #require(victims.first)
        try await Task.sleep(for: .milliseconds(100))
        kill(victim, SIGKILL)
        let results = await outcomes
        await pool.shutdown()
        #expect(results.allSatisfy { $0.output != nil }, "\(results.compactMap(\.failure))")
        #expect(!results.compactMap(\.output).contains { $0.pid == victim })
        #expect(await pool.exits[victim]?.signal == SIGKILL)
    }

    @Test("--max-tasks-per-child recycles workers")
    func recycling() async throws {
        let pool = ProcessPool(workers: 1, configuration: ProcessPoolConfiguration(executable: SkeinExecutable.path, maxTasksPerChild: 2))
        let outcomes = await pool.run(ProbeWorkload(), Array(repeating: .spin(iterations: 100), count: 6))
        await pool.shutdown()
        let pids = outcomes.compactMap(\.output?.pid)
        #expect(pids.count == 6)
        #expect(Set(pids).count == 3, "\(pids)")
        #expect(pids[0] == pids[1] && pids[2] == pids[3] && pids[0] != pids[2])
    }

    @Test("shutdown leaves no zombie and no orphan")
    func noZombies() async throws {
        let pool = ProcessPool(workers: 3, configuration: Self.config)
        _ = await pool.run(ProbeWorkload(), Array(repeating: .sleep(milliseconds: 20), count: 9))
        let spawned = await pool.spawnedPIDs
        #expect(spawned.count == 3)
        await pool.shutdown()
        for pid in spawned {
            #expect(!ChildProcesses.exists(pid), "worker \(pid) still exists")
        }
        #expect(ChildProcesses.zombies().filter { spawned.contains($0) }.isEmpty)
        #expect(await pool.livePIDs.isEmpty)
    }

    @Test("a worker stuck in a job is stopped at the deadline and killed after the grace period")
    func stuckWorkerKilled() async throws {
        let pool = ProcessPool(workers: 1, configuration: Self.config)
        // spin ignores the stop request: only SIGKILL ends it.
        let outcomes = await pool.run(ProbeWorkload(), [.spin(iterations: 50_000_000_000)],
                                      options: BatchOptions(timeout: .milliseconds(300), grace: .milliseconds(300)))
        let spawned = await pool.spawnedPIDs
        await pool.shutdown()
        #expect(outcomes[0].failure?.code == JobFailure.timedOutCode)
        for pid in spawned { #expect(!ChildProcesses.exists(pid)) }
    }
}
