import ArgumentParser
import ConcurrencyLab
import Engines
import Foundation
import Basics

struct LabThreads: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "threads",
        abstract: "A thread started and not joined: main says \"all done\" first, and the process still waits for it.")
    @OptionGroup var timing: LabTiming

    func run() { timing.runThreadsLesson(daemon: false) }
}

struct LabDaemon: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "daemon",
        abstract: "The same with a daemon thread: the process ends without it, and \"finishing\" never appears.")
    @OptionGroup var timing: LabTiming

    func run() { timing.runThreadsLesson(daemon: true) }
}

extension LabTiming {
    /// The threads lesson, then the end of the process the Python way: non-daemon threads are
    /// waited for, daemon threads are cut off.
    func runThreadsLesson(daemon: Bool) -> Never {
        trace.start()
        ThreadsLesson.run(log: LabLog(), daemon: daemon, sleep: duration)
        LabThread.waitForNonDaemonThreads()
        trace.finish()
        LabThread.exitProcess()
    }
}

struct LabJoin: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "join",
        abstract: "Three threads started, then joined in order; they finish in a seeded random order.")
    @OptionGroup var timing: LabTiming
    @Option(help: "Seed of the sleep times (changes the finishing order).")
    var seed: UInt64 = 1

    func run() {
        timing.trace.start()
        defer { timing.trace.finish() }
        let order = JoinLesson.run(log: LabLog(), seed: seed, sleep: timing.duration)
        print("Finishing order: \(order.map(String.init).joined(separator: ", "))")
    }
}

struct LabPool: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pool",
        abstract: "ThreadPoolExecutor(max_workers=3).map(thread_function, range(3)) on Skein's thread pool.")
    @OptionGroup var timing: LabTiming

    func run() {
        timing.trace.start()
        defer { timing.trace.finish() }
        PoolLesson.run(log: LabLog(), sleep: timing.duration)
    }
}

struct LabQueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue",
        abstract: "A worker on a queue with task_done/join; then AsyncStream (drops) against a bounded channel (back-pressure).")
    @Option(help: "Items the producers make in the second part.")
    var items = 100
    @Option(help: "Buffer capacity in the second part.")
    var capacity = 4
    @OptionGroup var trace: LabTraceOption

    func validate() throws {
        try Validate.range(items, "--items", 1...1_000_000)
        try Validate.range(capacity, "--capacity", 1...1_000_000)
    }

    func run() async {
        trace.start()
        defer { trace.finish() }
        QueueLesson.taskQueue(log: LabLog(timestamps: false))
        print("")
        print("A fast producer, a slow consumer (1 ms per item), a buffer of \(capacity):")
        for flow in [await QueueLesson.asyncStream(items: items, capacity: capacity, consumerDelay: .milliseconds(1)),
                     await QueueLesson.boundedChannel(items: items, capacity: capacity, consumerDelay: .milliseconds(1))] {
            print(String(format: "  %@ produced %d, consumed %d, dropped %d, most buffered %d, producer waited %d times",
                         flow.name.left(36), flow.produced, flow.consumed, flow.dropped, flow.maxBuffered, flow.producerWaits))
        }
    }
}
