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
        try Validate.range(workers, "--workers", 1...1024)
        try Validate.seconds(timeout, "--timeout")
        try Validate.range(maxTasksPerChild, "--max-tasks-per-child", 1...1_000_000)
    }

    func engine(default kind: EngineKind, workers defaultWorkers: Int) -> Engine {
        Engine(engine ?? kind, workers: workers ?? defaultWorkers,
               processes: ProcessPoolConfiguration(maxTasksPerChild: maxTasksPerChild))
    }

    var timeoutDuration: Duration? { timeout.map { .seconds($0) } }
}
