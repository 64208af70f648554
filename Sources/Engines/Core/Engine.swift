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
        return await run(workload, from: ListSource(inputs), options: options)
    }

    /// Runs `workload` over whatever `source` hands out (a channel fed by another stage, say),
    /// calling `onOutcome` as each job ends. Returns one outcome per input, by index.
    public func run<W: Workload, S: JobSource>(
        _ workload: W, from source: S, options: BatchOptions = BatchOptions(),
        onOutcome: (@Sendable (Int, JobOutcome<W.Output>) -> Void)? = nil
    ) async -> [JobOutcome<W.Output>] where S.Input == W.Input {
        let width = min(workers, source.knownCount.map { max(1, $0) } ?? workers)
        switch kind {
        case .async:
            return await AsyncEngine.run(workload, source: source, workers: width, options: options, onOutcome: onOutcome)
        case .processes:
            let pool = ProcessPool(workers: width, configuration: processes)
            let outcomes = await pool.run(workload, from: source, options: options, onOutcome: onOutcome)
            await pool.shutdown()
            return outcomes
        default:
            let collector = OutcomeCollector<S, W.Output>(source: source, options: options, onOutcome: onOutcome)
            switch kind {
            case .sequential: return await ThreadEngines.sequential(workload, collector)
            case .threads: return await ThreadEngines.threads(workload, collector, workers: width)
            case .pool: return await ThreadEngines.pool(workload, collector, workers: width)
            case .gcd: return await ThreadEngines.gcd(workload, collector, workers: width)
            default: return await ThreadEngines.operations(workload, collector, workers: width)
            }
        }
    }
}
