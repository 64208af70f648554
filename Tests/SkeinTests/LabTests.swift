import ConcurrencyLab
import Engines
import Foundation
import SkeinTesting
import Testing
import Basics

@Suite("skein lab: every lesson proves its point")
struct LabTests {
    static func index(of text: String, in lines: [String]) -> Int? {
        lines.firstIndex { $0.contains(text) }
    }

    @Test("threads: main is all done before the thread finishes, and the process still waits for it")
    func threadsLesson() async throws {
        let run = try await SkeinExecutable.run(["lab", "threads", "--sleep", "0.3"])
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(run.status == 0)
        let done = try #require(Self.index(of: "Main    : all done", in: lines))
        let finishing = try #require(Self.index(of: "Thread 1: finishing", in: lines))
        #expect(done < finishing)
        #expect(lines.allSatisfy { $0.range(of: #"^\d\d:\d\d:\d\d: "#, options: .regularExpression) != nil })
    }

    @Test("daemon: the process ends without the daemon thread; \"finishing\" never appears")
    func daemonLesson() async throws {
        // A long sleep: the process must end long before it, even under a slow sanitizer.
        let run = try await SkeinExecutable.run(["lab", "daemon", "--sleep", "5"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Main    : all done"))
        // ("Thread 1: starting" may or may not make it out before the exit: a daemon thread
        // gets no promise at all.)
        #expect(!run.stdout.contains("finishing"))
    }

    @Test("LabThread waits for non-daemon threads only")
    func nonDaemonWait() {
        let finished = Locked(false)
        let thread = LabThread(name: "slow") { usleep(100_000); finished.withLock { $0 = true } }
        thread.start()
        LabThread.waitForNonDaemonThreads()
        #expect(finished.withLock { $0 })
    }

    @Test("join: every join line follows its thread's finishing line; seeds change the order")
    func joinLesson() {
        var orders = Set<[Int]>()
        for seed in [1, 2, 5] as [UInt64] {
            let log = LabLog(echo: false)
            orders.insert(JoinLesson.run(log: log, seed: seed, sleep: .milliseconds(150)))
            let lines = log.messages
            for index in 0..<3 {
                let finishing = lines.firstIndex(of: "Thread \(index): finishing")!
                let joined = lines.firstIndex(of: "Main    : thread \(index) done")!
                #expect(finishing < joined)
            }
        }
        #expect(orders.count > 1, "seeds 1, 2, 5 all finished in the order \(orders)")
    }

    @Test("race: unsynchronised increments lose updates")
    func raceLesson() {
        var lost = 0
        for _ in 0..<5 where lost == 0 {
            let result = RaceLesson.run(threads: 2, iterations: 1_000_000)
            #expect(result.got <= result.expected)
            lost = result.lost
        }
        #expect(lost > 0)
    }

    @Test("lock: the classic loop is always 200,000; every other mechanism counts right too")
    func lockLesson() async {
        let log = LabLog(echo: false, timestamps: false)
        #expect(LockLesson.classic(log: log) == Array(repeating: 200_000, count: 10))
        #expect(log.lines.first == "Iteration 0: x = 200000")
        let measurements = await LockLesson.compare(increments: 50_000)
        #expect(Set(measurements.map(\.name)) == ["NSLock", "Mutex", "Atomic", "serial DispatchQueue", "actor"])
        for m in measurements {
            #expect(m.total == m.expected, "\(m.name)")
            #expect(m.nanosecondsPerIncrement > 0)
        }
    }

    @Test("philosophers: naive deadlocks and the watchdog names the cycle")
    func naiveDeadlock() async throws {
        let log = LabLog(echo: false, timestamps: false)
        let result = PhilosophersLesson.run(strategy: .naive, meals: 5, detectAfter: .milliseconds(300), seed: 1, log: log)
        let cycle = try #require(result.deadlock)
        #expect(cycle.count == 5)
        for step in cycle {
            #expect(step.fork == (step.philosopher + 1) % 5) // waits for its right fork…
            #expect(step.heldBy == step.fork)                // …held by its right neighbour
        }
        #expect(log.lines.last?.contains("P0 waits for fork 1 held by P1") == true)
    }

    @Test("philosophers: every cure eats every meal", arguments: [PhilosophersLesson.Strategy.ordered, .waiter, .chandyMisra])
    func cures(strategy: PhilosophersLesson.Strategy) {
        let result = PhilosophersLesson.run(strategy: strategy, meals: 30, detectAfter: .seconds(5), seed: 3, log: LabLog(echo: false))
        #expect(result.deadlock == nil)
        #expect(result.meals == Array(repeating: 30, count: 5))
        #expect(result.longestWait.allSatisfy { $0 >= 0 })
    }

    @Test("naive philosophers through the CLI exit non-zero instead of hanging")
    func naiveCLI() async throws {
        let run = try await SkeinExecutable.run(["lab", "philosophers", "--strategy", "naive", "--detect-after", "0.3"])
        #expect(run.status == 1, "exit 1: the dinner did not get done")
        #expect(run.stdout.contains("P4 waits for fork 0 held by P0"))
    }

    @Test("gil: both languages report a timing for one and two threads")
    func gilLesson() {
        let swift = GILLesson.swift(iterations: 2_000_000)
        #expect(swift.oneThread > 0 && swift.twoThreads > 0)
        if let python = GILLesson.python(iterations: 20_000) {
            #expect(python.language.hasPrefix("CPython"))
            #expect(python.oneThread > 0 && python.twoThreads > 0)
        }
    }

    @Test("pool: three threads start and finish, as ThreadPoolExecutor.map does")
    func poolLesson() {
        let log = LabLog(echo: false)
        PoolLesson.run(log: log, sleep: .milliseconds(50))
        let lines = log.messages
        for index in 0..<3 {
            let starting = lines.firstIndex(of: "Thread \(index): starting")
            let finishing = lines.firstIndex(of: "Thread \(index): finishing")
            #expect(starting != nil && finishing != nil && starting! < finishing!)
        }
        #expect(lines.count == 6)
    }

    @Test("queue: 30 items worked on and finished, then all work completed")
    func taskQueue() {
        let log = LabLog(echo: false, timestamps: false)
        QueueLesson.taskQueue(log: log)
        let lines = log.lines
        for item in 0..<30 {
            let working = lines.firstIndex(of: "Working on \(item)")!
            #expect(working < lines.firstIndex(of: "Finished \(item)")!)
        }
        #expect(lines.contains("All task requests sent"))
        #expect(lines.last == "All work completed")
    }

    @Test("an AsyncStream with a bounded buffer drops; a bounded channel makes the producer wait")
    func backPressure() async {
        let stream = await QueueLesson.asyncStream(items: 100, capacity: 4, consumerDelay: .milliseconds(1))
        #expect(stream.dropped > 0)
        #expect(stream.consumed + stream.dropped == stream.produced)
        let channel = await QueueLesson.boundedChannel(items: 100, capacity: 4, consumerDelay: .milliseconds(1))
        #expect(channel.dropped == 0 && channel.consumed == 100)
        #expect(channel.maxBuffered <= 4)
        #expect(channel.producerWaits > 0)
    }

    @Test("process-queue: four child processes each receive one item")
    func processQueue() async throws {
        let run = try await SkeinExecutable.run(["lab", "process-queue"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let items = lines.compactMap { $0.components(separatedBy: "data received: ").last }
        #expect(Set(items) == Set(ProcessQueueLesson.items))
        let names = lines.compactMap { $0.components(separatedBy: " data").first }
        #expect(Set(names) == ["Process-1", "Process-2", "Process-3", "Process-4"])
    }

    @Test("spawn: measures both and prints the classic table")
    func spawnLesson() async throws {
        let measured = try await SpawnLesson.measure(executable: SkeinExecutable.path, exitChild: ["lab", "spawn", "--child-exit"],
                                                     echoChild: ["lab", "spawn", "--child-echo"])
        #expect(measured.threadStartJoin > 0 && measured.processSelf > 0 && measured.processTrue > 0)
        #expect(measured.bytesPerProcess > 0)
        let table = SpawnLesson.table(measured, raceLost: 42)
        #expect(table.count == 6)
        #expect(table[2].contains("uses more memory") && table[5].contains("42 updates lost"))
    }
}
