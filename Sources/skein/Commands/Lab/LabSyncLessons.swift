import ArgumentParser
import ConcurrencyLab
import Engines
import Foundation
import Basics

struct LabRace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "race",
        abstract: "Threads doing unsynchronised read-modify-write on a shared counter lose updates.")
    @Option(help: "Threads.")
    var threads = 2
    @Option(help: "Increments per thread.")
    var iterations = 1_000_000
    @Option(help: "Times to run it.")
    var runs = 3

    func validate() throws {
        try Validate.range(threads, "--threads", 1...256)
        try Validate.range(iterations, "--iterations", 1...1_000_000_000)
        try Validate.range(runs, "--runs", 1...1000)
    }

    func run() {
        for run in 1...runs {
            let result = RaceLesson.run(threads: threads, iterations: iterations)
            print(String(format: "Run %d: expected %d, got %d: %d updates lost (%.1f%%)", run, result.expected, result.got,
                         result.lost, 100 * Double(result.lost) / Double(result.expected)))
        }
    }
}

struct LabLock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock",
        abstract: "2 threads × 100,000 locked increments, 10 times: always 200,000. Then NSLock, Mutex, Atomic, an actor and a serial queue, timed.")
    @Option(help: "Increments per thread in the comparison.")
    var increments = 1_000_000

    func validate() throws { try Validate.range(increments, "--increments", 1...1_000_000_000) }

    func run() async {
        _ = LockLesson.classic(log: LabLog(timestamps: false))
        print("")
        print("Two threads (or tasks) × \(increments) increments each:")
        print("  " + "mechanism".left(22) + " " + "total".right(12) + " " + "correct".right(10) + " " + "ns/increment".right(14))
        for m in await LockLesson.compare(increments: increments) {
            print(String(format: "  %@ %12d %@ %14.1f", m.name.left(22), m.total, (m.total == m.expected ? "yes" : "NO").right(10), m.nanosecondsPerIncrement))
        }
    }
}

extension PhilosophersLesson.Strategy: ExpressibleByArgument {}

struct LabPhilosophers: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "philosophers",
        abstract: "Five philosophers, five forks: naive deadlocks (detected, not hung); ordered, waiter and chandy-misra eat.")
    @Option(help: "naive, ordered, waiter or chandy-misra.")
    var strategy: PhilosophersLesson.Strategy = .naive
    @Option(help: "Meals per philosopher.")
    var meals = 20
    @Option(help: "Seconds without a meal before the watchdog looks for a deadlock.")
    var detectAfter = 1.0
    @Option(help: "Seed of the thinking and eating times.")
    var seed: UInt64 = 1
    @OptionGroup var trace: LabTraceOption

    func validate() throws {
        try Validate.range(meals, "--meals", 1...100_000)
        try Validate.seconds(detectAfter, "--detect-after", maximum: 600)
    }

    func run() throws {
        trace.start()
        defer { trace.finish() }
        let log = LabLog(timestamps: false)
        let result = PhilosophersLesson.run(strategy: strategy, meals: meals,
                                            detectAfter: .milliseconds(Int64(detectAfter * 1000)), seed: seed, log: log)
        if result.deadlock != nil {
            print("Deadlocked after \(result.meals.reduce(0, +)) meals; the dinner was called off.")
            throw ExitCode(1)
        }
        print("Strategy \(strategy.rawValue): every meal eaten in \(String(format: "%.2f", result.seconds)) s")
        for p in result.meals.indices {
            print(String(format: "  P%d: %d meals, longest wait %.1f ms, %.0f meals/s", p, result.meals[p],
                         result.longestWait[p] * 1000, Double(result.meals[p]) / result.seconds))
        }
    }
}
