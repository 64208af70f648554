import ArgumentParser
import Engines

extension EngineKind: ExpressibleByArgument {}

/// Options shared by every command that runs a batch on an engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Concurrency model: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var engine: EngineKind?

    @Option(help: "Jobs in flight at once (threads, tasks or processes).")
    var workers: Int?

    @Option(help: "Whole-batch deadline in seconds: unfinished items are reported as timed out.")
    var timeout: Double?

    @Option(help: "With --engine processes: replace a worker process after this many jobs.")
    var maxTasksPerChild: Int?

    func validate() throws {
        if let workers, !(1...1024).contains(workers) { throw ValidationError("--workers must be between 1 and 1024") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let maxTasksPerChild, maxTasksPerChild < 1 { throw ValidationError("--max-tasks-per-child must be at least 1") }
    }

    func engine(default kind: EngineKind, workers defaultWorkers: Int) -> Engine {
        Engine(engine ?? kind, workers: workers ?? defaultWorkers,
               processes: ProcessPoolConfiguration(maxTasksPerChild: maxTasksPerChild))
    }

    var timeoutDuration: Duration? { timeout.map { .milliseconds(Int64($0 * 1000)) } }
}
