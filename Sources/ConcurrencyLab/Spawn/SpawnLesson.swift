import Engines
import Basics
import Foundation

/// `skein lab spawn`: what a thread costs against a process, measured here, beside the classic
/// comparison table.
package enum SpawnLesson {
    package struct Measurements: Sendable {
        /// Mean seconds to create and join a thread.
        package var threadStartJoin: Double
        /// Mean seconds to spawn and wait for `/bin/true`.
        package var processTrue: Double
        /// Mean seconds to spawn and wait for a copy of this executable (Swift runtime, Foundation, NIO).
        package var processSelf: Double
        /// Resident bytes one more parked thread adds.
        package var bytesPerThread: Double
        /// Resident bytes of one parked copy of this executable.
        package var bytesPerProcess: Double
        /// One trivial job handed to an already running worker and its result back: a pool thread,
        /// and a worker process (JSON over pipes).
        package var threadRoundTrip: Double
        package var processRoundTrip: Double
    }

    /// - Parameters:
    ///   - exitChild: arguments that make `executable` exit at once.
    ///   - echoChild: arguments that make it echo its stdin to its stdout until stdin ends.
    package static func measure(executable: String, exitChild: [String], echoChild: [String]) async throws -> Measurements {
        // Thread start + join.
        let threadRuns = 200
        var start = ContinuousClock.now
        for _ in 0..<threadRuns { let t = JoinableThread {}; t.start(); t.join() }
        let threadStartJoin = (ContinuousClock.now - start).seconds / Double(threadRuns)

        func spawnAndWait(_ path: String, _ arguments: [String], runs: Int) throws -> Double {
            let start = ContinuousClock.now
            for _ in 0..<runs { ProcessLauncher.wait(try ProcessLauncher.spawn(executable: path, arguments: arguments)) }
            return (ContinuousClock.now - start).seconds / Double(runs)
        }
        let processTrue = try spawnAndWait("/bin/true", [], runs: 50)
        let processSelf = try spawnAndWait(executable, exitChild, runs: 10)

        // Memory: parked threads.
        let parked = 64
        let release = DispatchSemaphore(value: 0)
        let before = Double(ProcessMemory.residentBytes() ?? 0)
        let threads = (0..<parked).map { _ in JoinableThread { release.wait() } }
        threads.forEach { $0.start() }
        usleep(50_000) // let them all reach their wait
        let after = Double(ProcessMemory.residentBytes() ?? 0)
        for _ in 0..<parked { release.signal() }
        threads.forEach { $0.join() }
        let bytesPerThread = max(0, after - before) / Double(parked)

        // Memory and round trips: parked children that echo what they read.
        var processBytes: [Double] = []
        for _ in 0..<3 {
            var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
            guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { break }
            let pid = try ProcessLauncher.spawn(executable: executable, arguments: echoChild,
                                                descriptors: [0: toChild[0], 1: fromChild[1], 2: 2])
            close(toChild[0]); close(fromChild[1])
            var byte: UInt8 = 1
            _ = write(toChild[1], &byte, 1); _ = read(fromChild[0], &byte, 1) // it is up and running
            processBytes.append(Double(ProcessMemory.residentBytes(of: pid) ?? 0))
            close(toChild[1]); close(fromChild[0])
            ProcessLauncher.wait(pid)
        }

        // Handing one trivial job to a worker and getting its result back: a pool thread, or a
        // worker process (JSON over pipes), both already running.
        let jobs = Array(repeating: ProbeWorkload.Action.spin(iterations: 1), count: 2000)
        let threadPool = ThreadPool(width: 1)
        start = ContinuousClock.now
        for _ in jobs { _ = threadPool.submit { ProbeWorkload.spin(1) }.wait() }
        let threadRoundTrip = (ContinuousClock.now - start).seconds / Double(jobs.count)
        threadPool.shutdown()
        let processPool = ProcessPool(workers: 1, configuration: ProcessPoolConfiguration(executable: executable))
        _ = await processPool.run(ProbeWorkload(), Array(jobs.prefix(10))) // started and warm
        start = ContinuousClock.now
        _ = await processPool.run(ProbeWorkload(), jobs)
        let processRoundTrip = (ContinuousClock.now - start).seconds / Double(jobs.count)
        await processPool.shutdown()

        return Measurements(threadStartJoin: threadStartJoin, processTrue: processTrue, processSelf: processSelf,
                            bytesPerThread: bytesPerThread,
                            bytesPerProcess: processBytes.isEmpty ? 0 : processBytes.reduce(0, +) / Double(processBytes.count),
                            threadRoundTrip: threadRoundTrip, processRoundTrip: processRoundTrip)
    }

    /// The tutorial's table, with what we measured beside each row.
    package static func table(_ m: Measurements, raceLost: Int?) -> [String] {
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
        func us(_ s: Double) -> String { String(format: "%.1f µs", s * 1e6) }
        let rows: [(String, String, String)] = [
            ("processes run in separate memory (process isolation)", "threads share memory",
             "a child's crash can't corrupt us (the process pool survives it); threads share one heap"),
            ("uses more memory", "uses less memory",
             String(format: "%.1f MB per process vs %.0f KB per parked thread", m.bytesPerProcess / 1e6, m.bytesPerThread / 1e3)),
            ("more overhead", "less overhead",
             "a job handed to a running worker and back: \(us(m.processRoundTrip)) (process, JSON over pipes) vs \(us(m.threadRoundTrip)) (pool thread)"),
            ("slower to create and destroy", "faster to create and destroy",
             "spawn+wait \(ms(m.processSelf)) (skein), \(ms(m.processTrue)) (/bin/true) vs thread start+join \(us(m.threadStartJoin))"),
            ("easier to code and debug", "can become harder to code and debug",
             raceLost.map { "lab race: \($0) updates lost without a lock" } ?? "see skein lab race"),
        ]
        var lines = ["Process".left(55) + " " + "Thread".left(38) + " measured here"]
        for row in rows { lines.append(row.0.left(55) + " " + row.1.left(38) + " " + row.2) }
        return lines
    }
}
