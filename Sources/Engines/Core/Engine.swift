/// A concurrency engine: a model (`kind`) and a width (`workers`). Engines are values; pick one
/// by name and hand it a workload and its inputs.
///
/// Every engine gives one outcome per input, in input order, each a success or a
/// `JobFailure`; one failing job never aborts the batch. Every engine honours the batch's
/// deadline, stop signal and progress callback (`BatchOptions`).
public struct Engine: Sendable {
    public var kind: EngineKind
    public var workers: Int
    /// Settings used only by `processes`.
    public var processes: ProcessPoolConfiguration

    public init(_ kind: EngineKind, workers: Int, processes: ProcessPoolConfiguration = .init()) {
        precondition(workers > 0, "an engine needs at least one worker")
        self.kind = kind
        self.workers = workers
        self.processes = processes
    }

    /// Runs `workload` over `inputs`.
    public func run<W: Workload>(_ workload: W, _ inputs: [W.Input],
                                 options: BatchOptions = BatchOptions()) async -> [JobOutcome<W.Output>] {
        if inputs.isEmpty { return [] }
        switch kind {
        case .sequential:
            return await ThreadEngines.sequential(workload, inputs, options)
        case .threads:
            return await ThreadEngines.threads(workload, inputs, workers: workers, options)
        case .pool:
            return await ThreadEngines.pool(workload, inputs, workers: workers, options)
        case .gcd:
            return await ThreadEngines.gcd(workload, inputs, workers: workers, options)
        case .operations:
            return await ThreadEngines.operations(workload, inputs, workers: workers, options)
        case .async:
            return await AsyncEngine.run(workload, inputs, workers: workers, options)
        case .processes:
            let pool = ProcessPool(workers: workers, configuration: processes)
            let outcomes = await pool.run(workload, inputs, options: options)
            await pool.shutdown()
            return outcomes
        }
    }
}
